// Package xapi is the xAPI statement model shared by the LRS and the
// packagers: strict decoding and validation of statements (xAPI 1.0.3 and
// 2.0), the helpers an LRS needs to store, index, compare and return them,
// and verification of signed statements.
//
// Section numbers in comments refer to the xAPI 1.0.3 texts: "Data §2.4.2" is
// Part Two (xAPI-Data.md), "Communication §2.1.3" is Part Three
// (xAPI-Communication.md). Rules marked "2.0" come from the list of 2.0
// changes kept beside those texts.
//
// Decoding works on a private parse of the JSON text rather than
// encoding/json, because the rules need what encoding/json hides: duplicated
// property names, exact property-name case, nulls, the original text of
// numbers, and the byte span of every value (so the LRS stores each statement
// exactly as it was sent).
//
// The package does no I/O: no HTTP, no SQL.
package xapi

import (
	"fmt"
	"strings"
)

// Version selects the rules statements are validated with. It is the
// X-Experience-API-Version of the request, reduced to the rule sets the
// package knows: every 1.0.x request follows the 1.0.3 text.
type Version uint8

// Versions of the rules.
const (
	// Version103 is xAPI 1.0.x, validated by the 1.0.3 text.
	Version103 Version = iota + 1
	// Version200 is xAPI 2.0 (IEEE 9274.1.1-2023).
	Version200
)

// ParseVersion reads an X-Experience-API-Version header. "1.0" and any
// "1.0.N" mean 1.0.x (Communication §3.3); "2.0" and any "2.0.N" mean 2.0.
// Everything else, including 0.9x and 1.1.0 or later, is an error.
func ParseVersion(header string) (Version, error) {
	switch {
	case header == "1.0" || isPatchOf(header, "1.0."):
		return Version103, nil
	case header == "2.0" || isPatchOf(header, "2.0."):
		return Version200, nil
	}
	return 0, fmt.Errorf("unsupported xAPI version %q: this LRS serves 1.0.0 to 1.0.3 and 2.0.0", header)
}

// String returns the version an LRS answers with in
// X-Experience-API-Version: the latest patch of the rule set.
func (v Version) String() string {
	switch v {
	case Version103:
		return "1.0.3"
	case Version200:
		return "2.0.0"
	}
	return fmt.Sprintf("Version(%d)", uint8(v))
}

// StatementVersion is the "version" an LRS stores on a statement received
// without one: "1.0.0" for 1.0.x (Data §2.4.10), "2.0.0" for 2.0.
func (v Version) StatementVersion() string {
	if v == Version200 {
		return "2.0.0"
	}
	return "1.0.0"
}

// acceptsStatementVersion reports whether a statement's "version" property
// is allowed: 1.0.x takes "1.0" and "1.0." with a digit-only patch (Data
// §2.4.10); 2.0 also takes "2.0" and "2.0.x".
func (v Version) acceptsStatementVersion(s string) bool {
	// Data §2.4.10: a version is "formatted as laid out for the API version
	// header", which takes "1.0" as "1.0.0" (Communication §3.3), so "1.0"
	// is one too, as ADL's conformance suite expects (XAPI-00101).
	if s == "1.0" || isPatchOf(s, "1.0.") {
		return true
	}
	return v == Version200 && (s == "2.0" || isPatchOf(s, "2.0."))
}

// isPatchOf reports whether s is prefix followed by one or more digits.
func isPatchOf(s, prefix string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || rest == "" || len(rest) > 9 {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] < '0' || rest[i] > '9' {
			return false
		}
	}
	return true
}
