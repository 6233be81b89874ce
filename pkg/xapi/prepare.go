package xapi

import (
	"fmt"
	"strings"
	"time"
)

// Prepare completes a decoded statement for storage and replaces s.Raw with
// the JSON to store. It assembles that JSON from the statement's text as
// decoded, not by re-encoding the model, so every value it does not own
// keeps its exact text (number precision, escapes, language maps as sent).
// Top-level members are written in the order of the Data §2.4 table, which
// is as good as any (§2.2: properties MAY be in any order) and reads well.
//
// What it sets, and why:
//   - "id" to id when the statement has none (Data §2.4.1); id must be a
//     UUID, which the LRS generates.
//   - "stored" to stored, in UTC, truncated to the millisecond, replacing
//     any sent value (§2.4.8); s.Stored is set to the same instant so the
//     LRS can index exactly what the JSON says.
//   - "authority" to authority, replacing any sent value: the LRS "SHOULD
//     overwrite the authority ... based on the credentials" (§2.4.9), and
//     the exception for trusted providers is not taken.
//   - "version" to v.StatementVersion() when absent (§2.4.10; 2.0 stores
//     "2.0.0").
//   - "timestamp" to stored when absent (§2.4.7: SHOULD*), and rewritten in
//     UTC when sent with another offset or format (§4.5: the LRS SHOULD*
//     return timestamps in UTC; 2.0 converts them). A SubStatement's
//     timestamp is left as sent.
//   - each single Activity in contextActivities, of the statement or of its
//     SubStatement, to an array of one (§2.4.6.2: the LRS MUST return them
//     as arrays).
//
// Prepare works only on a statement from DecodeStatement or
// DecodeStatements whose Raw has not been changed since, and only once.
func (s *Statement) Prepare(id string, stored time.Time, authority Agent, v Version) error {
	if s.layout == nil || s.text != string(s.Raw) { // compared without a copy
		return fmt.Errorf("prepare statement %s: not as decoded (Raw changed or already prepared)", s.ID)
	}
	if s.ID == "" && !validUUID(id) {
		return fmt.Errorf("prepare statement: id %q is not a UUID", id)
	}
	if authority.IFI() == "" && len(authority.Member) == 0 {
		return fmt.Errorf("prepare statement %s: authority has no identifier", s.ID)
	}
	stored = stored.UTC().Truncate(time.Millisecond)
	storedText := formatTimestamp(stored)
	src, l := s.text, s.layout
	out := make([]byte, 0, len(src)+256)
	out = append(out, '{')
	member := func(k int) {
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, '"')
		out = append(out, statementKeys[k]...)
		out = append(out, '"', ':')
	}
	for k := range sCount {
		m := l.members[k]
		switch {
		case k == sID && m.end == 0:
			s.ID = lowerASCII(id)
			member(k)
			out = appendString(out, s.ID)
		case k == sTimestamp && m.end == 0:
			s.Timestamp = stored
			member(k)
			out = appendString(out, storedText)
		case k == sTimestamp && !isUTCExtended(src[m.start+1:m.end-1]):
			member(k)
			out = appendString(out, formatTimestamp(s.Timestamp))
		case k == sStored:
			member(k)
			out = appendString(out, storedText)
		case k == sAuthority:
			member(k)
			out = appendAgent(out, &authority)
		case k == sVersion && m.end == 0:
			s.Version = v.StatementVersion()
			member(k)
			out = appendString(out, s.Version)
		case m.end == 0:
		case k == sContext || k == sObject:
			member(k)
			out = appendWrapped(out, src, m, l.singles)
		default:
			member(k)
			out = append(out, src[m.start:m.end]...)
		}
	}
	out = append(out, '}')
	s.Stored = stored
	s.Authority = &authority
	s.Raw = out
	s.text, s.layout = "", nil
	return nil
}

// isUTCExtended reports whether a timestamp is already written the way the
// LRS returns them: extended format, "T", "Z".
func isUTCExtended(ts string) bool {
	if len(ts) < 20 || ts[4] != '-' || ts[10] != 'T' || ts[13] != ':' || ts[16] != ':' || !strings.HasSuffix(ts, "Z") {
		return false
	}
	return len(ts) == 20 || ts[19] == '.' // seconds, then RFC 3339's fraction
}

// appendWrapped appends src[m.start:m.end], putting each of the singles
// within it in brackets. singles are in text order.
func appendWrapped(dst []byte, src string, m span, singles []span) []byte {
	pos := m.start
	for _, w := range singles {
		if w.start < m.start || w.end > m.end {
			continue
		}
		dst = append(dst, src[pos:w.start]...)
		dst = append(dst, '[')
		dst = append(dst, src[w.start:w.end]...)
		dst = append(dst, ']')
		pos = w.end
	}
	return append(dst, src[pos:m.end]...)
}
