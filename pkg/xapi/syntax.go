package xapi

import (
	"strings"
	"unicode/utf8"
)

// validIRI is the best-effort IRI check Data §2.2 allows: a scheme
// (RFC 3987 §2.2: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )), a colon,
// something after it, and none of the characters an IRI can never hold
// (spaces, controls, and <>"{}|\^`), at most one '#', and '%' only as a
// percent-encoding. Relative references are rejected: "IRI fragments
// (sometimes called relative IRLs) are not valid IRIs" (Data §2.4.4.1).
func validIRI(s string) bool {
	colon := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ':' {
			colon = i
			break
		}
		if !(isAlpha(c) || i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	if colon < 1 || colon == len(s)-1 {
		return false
	}
	hashes := 0
	for i := colon + 1; i < len(s); {
		switch iriClass[s[i]] {
		case iriOK:
			i++
		case iriBad:
			return false
		case iriHash:
			if hashes++; hashes > 1 {
				return false
			}
			i++
		case iriPercent:
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i++
		case iriNonASCII:
			r, size := utf8.DecodeRuneInString(s[i:])
			// C1 controls and non-characters are not ucschar.
			if r == utf8.RuneError || r >= 0x80 && r <= 0x9F || r == 0xFFFE || r == 0xFFFF {
				return false
			}
			i += size
		}
	}
	return true
}

// Classes of bytes after an IRI's scheme.
const (
	iriOK = iota
	iriBad
	iriHash
	iriPercent
	iriNonASCII
)

var iriClass = func() (c [256]uint8) {
	for i := range c {
		switch {
		case i <= ' ' || i == 0x7f:
			c[i] = iriBad
		case i >= 0x80:
			c[i] = iriNonASCII
		}
	}
	for _, b := range []byte("<>\"{}|\\^`") {
		c[b] = iriBad
	}
	c['#'] = iriHash
	c['%'] = iriPercent
	return c
}()

// validMbox checks a "mailto:" IRI (Data §2.4.2.3): the scheme (in any
// case), then an address with a non-empty local part and domain.
func validMbox(s string) bool {
	if len(s) < 7 || !strings.EqualFold(s[:7], "mailto:") || !validIRI(s) {
		return false
	}
	addr := s[7:]
	at := strings.LastIndexByte(addr, '@')
	return at > 0 && at < len(addr)-1 && !strings.ContainsAny(addr, "?/")
}

// canonicalMbox lowercases what is case-insensitive in an mbox: the scheme
// and the domain (Data §2.4.2.3 Client Requirements, §2.3.1).
func canonicalMbox(s string) string {
	addr := s[7:]
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return "mailto:" + addr
	}
	return "mailto:" + addr[:at+1] + strings.ToLower(addr[at+1:])
}

// validSHA1 checks an mbox_sha1sum: 40 hex digits, in either case.
func validSHA1(s string) bool {
	return len(s) == 40 && allHex(s)
}

// validSHA2 checks an attachment's sha2: the hex SHA-224, -256, -384 or
// -512 of its data (Data §2.4.11; Communication §1.5.2 recommends the last
// three).
func validSHA2(s string) bool {
	switch len(s) {
	case 56, 64, 96, 128:
		return allHex(s)
	}
	return false
}

// validUUID checks the standard string form, 8-4-4-4-12 hex digits in any
// case (Data §4.4). The variant and version bits are not checked: §4.4
// only recommends the RFC 4122 variant, and the specification's own example
// statement uses an id ("12345678-1234-5678-1234-567812345678") that is not
// of that variant.
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

// validMediaType checks an Internet media type (RFC 2046) loosely:
// type "/" subtype, each an RFC 2045 token, then optional parameters.
func validMediaType(s string) bool {
	mt, _, _ := strings.Cut(s, ";")
	typ, sub, ok := strings.Cut(strings.TrimSpace(mt), "/")
	return ok && isToken(typ) && isToken(sub)
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?=", c) >= 0 {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }
func isHex(c byte) bool   { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}
