package xapi

import (
	"strings"
	"time"
)

// parseTimestamp reads a Timestamp (Data §4.5): an ISO 8601 combined date
// and time in the extended ("2015-11-18T12:17:00.5+01:00") or basic
// ("20151118T121700.5+0100") format, date and time in the same format,
// seconds optional, fraction with "." or ",", offset "Z", ±hh:mm, ±hhmm or
// ±hh. A negative zero offset ("-00:00", "-0000", "-00") is rejected: ISO
// 8601 does not allow it, and RFC 3339 uses it to mean "unknown offset".
// Without an offset the time is taken as UTC (the offset is only a SHOULD*).
//
// For 2.0 the RFC 3339 relaxations are accepted too: a space or "t"
// between date and time and a lowercase "z".
func parseTimestamp(s string, v Version) (time.Time, bool) {
	var year, month, day, hour, minute, sec, nsec int
	var ok bool
	p := 0
	num := func(width int) int {
		if !ok || p+width > len(s) {
			ok = false
			return 0
		}
		n := 0
		for i := p; i < p+width; i++ {
			if !isDigit(s[i]) {
				ok = false
				return 0
			}
			n = n*10 + int(s[i]-'0')
		}
		p += width
		return n
	}
	sep := func(c byte, extended bool) {
		if !extended {
			return
		}
		if p < len(s) && s[p] == c {
			p++
		} else {
			ok = false
		}
	}
	ok = true
	year = num(4)
	extended := p < len(s) && s[p] == '-'
	sep('-', extended)
	month = num(2)
	sep('-', extended)
	day = num(2)
	if !ok || p >= len(s) {
		return time.Time{}, false
	}
	switch c := s[p]; {
	case c == 'T', v == Version200 && (c == 't' || c == ' '):
		p++
	default:
		return time.Time{}, false
	}
	hour = num(2)
	sep(':', extended)
	minute = num(2)
	if ok && p < len(s) && (extended && s[p] == ':' || !extended && isDigit(s[p])) {
		sep(':', extended)
		sec = num(2)
		if ok && p < len(s) && (s[p] == '.' || s[p] == ',') {
			p++
			digits := 0
			for p < len(s) && isDigit(s[p]) {
				if digits < 9 {
					nsec = nsec*10 + int(s[p]-'0')
				}
				digits++
				p++
			}
			if digits == 0 {
				return time.Time{}, false
			}
			for ; digits < 9; digits++ {
				nsec *= 10
			}
		}
	}
	if !ok || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) ||
		hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}, false
	}
	offset, ok := parseOffset(s[p:], v)
	if !ok {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	t = t.Add(-time.Duration(offset) * time.Second)
	// Keep to years that RFC 3339 can write once converted to UTC.
	if t.Year() < 1 || t.Year() > 9999 {
		return time.Time{}, false
	}
	return t, true
}

// parseOffset reads a timestamp's zone designator and returns it in seconds
// east of UTC.
func parseOffset(s string, v Version) (int, bool) {
	switch {
	case s == "":
		return 0, true
	case s == "Z" || v == Version200 && s == "z":
		return 0, true
	case s[0] != '+' && s[0] != '-':
		return 0, false
	}
	var h, m int
	switch {
	case len(s) == 3 && allDigit(s[1:]):
		h = atoi2(s[1:3])
	case len(s) == 5 && allDigit(s[1:]):
		h, m = atoi2(s[1:3]), atoi2(s[3:5])
	case len(s) == 6 && s[3] == ':' && allDigit(s[1:3]) && allDigit(s[4:]):
		h, m = atoi2(s[1:3]), atoi2(s[4:6])
	default:
		return 0, false
	}
	if h > 23 || m > 59 || s[0] == '-' && h == 0 && m == 0 {
		return 0, false
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// formatTimestamp writes t in UTC with millisecond precision, or more when
// t has it, which is the form the LRS stores (Data §4.5: "SHOULD* return the
// Timestamp in UTC", precision "to at least milliseconds").
func formatTimestamp(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()%int(time.Millisecond) == 0 {
		return t.Format("2006-01-02T15:04:05.000Z07:00")
	}
	return t.Format(time.RFC3339Nano)
}

// validDuration checks an ISO 8601:2004 §4.4.3.2 duration (Data §4.6):
// "P" then number-designator pairs in the order Y M D and, after "T", H M
// S; at least one pair, and one after a "T"; a fraction only on the last
// pair; weeks ("P4W") only alone. The alternative format of §4.4.3.3
// ("P0003-01-29T04:35:59") is rejected.
func validDuration(s string) bool {
	if len(s) < 3 || s[0] != 'P' {
		return false
	}
	const dateUnits, timeUnits = "YMWD", "HMS"
	last, pairs, timePairs := -1, 0, 0
	inTime, fraction, weeks := false, false, false
	for i := 1; i < len(s); {
		if s[i] == 'T' {
			if inTime || i == len(s)-1 {
				return false
			}
			inTime = true
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j == i || j == len(s) {
			return false
		}
		if s[j] == '.' || s[j] == ',' {
			j++
			k := j
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j == k || j == len(s) || fraction {
				return false
			}
			fraction = true
		} else if fraction {
			return false // only the last pair may have a fraction
		}
		order := strings.IndexByte(dateUnits, s[j])
		if inTime {
			order = strings.IndexByte(timeUnits, s[j])
			if order >= 0 {
				order += len(dateUnits)
				timePairs++
			}
		}
		if order <= last {
			return false
		}
		weeks = weeks || !inTime && s[j] == 'W'
		last = order
		pairs++
		i = j + 1
	}
	if inTime && timePairs == 0 || weeks && pairs > 1 {
		return false
	}
	return pairs > 0
}

// comparableDuration drops precision beyond hundredths of a second, which
// Data §4.6 says comparisons SHOULD* NOT include; otherwise a duration is
// compared as a string (§2.3.1).
func comparableDuration(s string) string {
	dot := strings.IndexAny(s, ".,")
	if dot < 0 || !strings.HasSuffix(s, "S") {
		return s
	}
	frac := s[dot+1 : len(s)-1]
	if len(frac) <= 2 {
		return s
	}
	return s[:dot+3] + "S"
}

// ParseTimestamp reads a timestamp in any form a valid statement of either
// version may carry it (see parseTimestamp), for readers of stored
// statements that skip DecodeStatement.
func ParseTimestamp(s string) (time.Time, bool) { return parseTimestamp(s, Version200) }
