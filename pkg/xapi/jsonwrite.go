package xapi

import (
	"strconv"
	"strings"
)

// appendString appends s as a JSON string. s is valid UTF-8 (it came out of
// the parser or from Go code).
func appendString(dst []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendNode appends node i compactly. Strings and numbers are copied from
// the source exactly as they were written, so no precision or escaping
// changes; names are re-encoded from their decoded text.
func (t *tree) appendNode(dst []byte, i int32) []byte {
	n := t.at(i)
	switch n.kind {
	case kindObject:
		dst = append(dst, '{')
		for j := range n.n {
			if j > 0 {
				dst = append(dst, ',')
			}
			key, v := t.member(i, j)
			dst = appendString(dst, key)
			dst = append(dst, ':')
			dst = t.appendNode(dst, v)
		}
		return append(dst, '}')
	case kindArray:
		dst = append(dst, '[')
		for j := range n.n {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = t.appendNode(dst, t.elem(i, j))
		}
		return append(dst, ']')
	}
	return append(dst, t.src[n.start:n.end]...)
}

// jsonEqual reports whether two JSON texts hold the same value: objects
// compared without regard to member order, arrays in order, numbers by
// value, strings after unescaping. Text that does not parse is compared as
// bytes.
func jsonEqual(a, b string) bool {
	if a == b {
		return true
	}
	ta, err := parseTree(a)
	if err != nil {
		return false
	}
	defer ta.release()
	tb, err := parseTree(b)
	if err != nil {
		return false
	}
	defer tb.release()
	return nodesEqual(ta, ta.root(), tb, tb.root())
}

func nodesEqual(ta *tree, a int32, tb *tree, b int32) bool {
	na, nb := ta.at(a), tb.at(b)
	if na.kind != nb.kind {
		return false
	}
	switch na.kind {
	case kindString:
		return na.str == nb.str
	case kindNumber:
		return numbersEqual(na.str, nb.str)
	case kindArray:
		if na.n != nb.n {
			return false
		}
		for j := range na.n {
			if !nodesEqual(ta, ta.elem(a, j), tb, tb.elem(b, j)) {
				return false
			}
		}
	case kindObject:
		if na.n != nb.n {
			return false
		}
		for j := range na.n {
			key, va := ta.member(a, j)
			vb := tb.get(b, key)
			if vb < 0 || !nodesEqual(ta, va, tb, vb) {
				return false
			}
		}
	}
	return true
}

// numbersEqual compares two JSON numbers by exact decimal value, so "1",
// "1.0" and "10e-1" are equal however many digits they carry.
func numbersEqual(a, b string) bool {
	if a == b {
		return true
	}
	na, da, ea, oka := decimal(a)
	nb, db, eb, okb := decimal(b)
	if !oka || !okb {
		return false
	}
	return na == nb && da == db && ea == eb
}

// decimal splits a JSON number into sign, significant digits (no leading or
// trailing zeros) and exponent: value = ±digits × 10^exp. Zero is
// (false, "0", 0).
func decimal(s string) (neg bool, digits string, exp int64, ok bool) {
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	mant, expPart, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		e, err := strconv.ParseInt(expPart, 10, 32)
		if err != nil {
			return false, "", 0, false
		}
		exp = e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits = strings.TrimLeft(intPart+frac, "0")
	exp -= int64(len(frac))
	if digits == "" {
		return false, "0", 0, true
	}
	trimmed := strings.TrimRight(digits, "0")
	exp += int64(len(digits) - len(trimmed))
	return neg, trimmed, exp, true
}

// MarshalJSON writes a as xAPI JSON: objectType, name, its identifier and,
// for a Group, its members.
func (a Agent) MarshalJSON() ([]byte, error) {
	return appendAgent(nil, &a), nil
}

func appendAgent(dst []byte, a *Agent) []byte {
	dst = append(dst, '{')
	sep := false
	field := func(key, value string) {
		if value == "" {
			return
		}
		if sep {
			dst = append(dst, ',')
		}
		sep = true
		dst = appendString(dst, key)
		dst = append(dst, ':')
		dst = appendString(dst, value)
	}
	field("objectType", a.ObjectType)
	field("name", a.Name)
	field("mbox", a.Mbox)
	field("mbox_sha1sum", a.MboxSHA1Sum)
	field("openid", a.OpenID)
	if a.Account != nil {
		if sep {
			dst = append(dst, ',')
		}
		sep = true
		dst = append(dst, `"account":{"homePage":`...)
		dst = appendString(dst, a.Account.HomePage)
		dst = append(dst, `,"name":`...)
		dst = appendString(dst, a.Account.Name)
		dst = append(dst, '}')
	}
	if a.IsGroup() && len(a.Member) > 0 {
		if sep {
			dst = append(dst, ',')
		}
		dst = append(dst, `"member":[`...)
		for i := range a.Member {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendAgent(dst, &a.Member[i])
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}
