package xapi

import (
	"errors"
	"strconv"
)

// ValidationError is why a statement (or an agent parameter) was rejected:
// the property at fault and the rule it breaks. Decoding reports only the
// first problem, in a fixed order: malformed JSON first (the whole document
// is parsed before anything is checked); then, within each object, a
// property that is not allowed (the first in the text), then each property
// in the order of the specification's table, reported missing if required
// or else checked completely, nested objects included, before the next.
// The same input always gives the same error.
//
// Property is a path from the decoded value: "actor.mbox",
// "object.definition.choices[2].id", "context.extensions[\"http://x\"]".
// Names that are not plain identifiers are written as quoted strings in
// brackets. For a batch (a JSON array of statements) the path starts with the
// statement's zero-based position: "[3].verb.id" is the fourth statement.
// Property is empty when the problem is the document as a whole, such as a
// top-level value that is not an object.
type ValidationError struct {
	Property string
	Rule     string
}

// Error returns "property: rule", or only the rule when there is no property.
func (e *ValidationError) Error() string {
	if e.Property == "" {
		return e.Rule
	}
	return e.Property + ": " + e.Rule
}

// ErrInvalidSignature is wrapped by every error VerifySignature returns.
var ErrInvalidSignature = errors.New("invalid statement signature")

// fail returns a ValidationError for the value being checked; callers
// prepend its place with under and at while the error travels up.
func fail(rule string) *ValidationError {
	return &ValidationError{Rule: rule}
}

// failAt returns a ValidationError for the named property of the value being
// checked.
func failAt(key, rule string) *ValidationError {
	return fail(rule).under(key)
}

// under prepends a property name to the error's path.
func (e *ValidationError) under(key string) *ValidationError {
	seg := key
	if !isPlainName(key) {
		seg = "[" + strconv.Quote(key) + "]"
	}
	switch {
	case e.Property == "":
		e.Property = seg
	case e.Property[0] == '[':
		e.Property = seg + e.Property
	default:
		e.Property = seg + "." + e.Property
	}
	return e
}

// at prepends an array position to the error's path.
func (e *ValidationError) at(i int) *ValidationError {
	seg := "[" + strconv.Itoa(i) + "]"
	switch {
	case e.Property == "":
		e.Property = seg
	case e.Property[0] == '[':
		e.Property = seg + e.Property
	default:
		e.Property = seg + "." + e.Property
	}
	return e
}

// isPlainName reports whether a property name can be written bare in a path.
func isPlainName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Rules shared by several properties, so that the same problem reads the
// same everywhere.
const (
	ruleRequired    = "is required"
	ruleUnknown     = "is not an allowed property here"
	ruleNull        = "must not be null (null is only allowed inside extensions)"
	ruleObject      = "must be a JSON object"
	ruleArray       = "must be a JSON array"
	ruleString      = "must be a string"
	ruleNumber      = "must be a number"
	ruleBoolean     = "must be true or false"
	ruleIRI         = "must be an IRI with a scheme"
	ruleUUID        = "must be a UUID in its standard string form"
	ruleLangTag     = "must be an RFC 5646 language tag"
	ruleTimestamp   = "must be an ISO 8601 date and time"
	ruleTimestamp20 = "must be an ISO 8601 or RFC 3339 date and time"
	ruleDuration    = "must be an ISO 8601 duration such as PT1H30M or PT4.5S"
	ruleMbox        = "must be a mailto: IRI"
	ruleSHA1        = "must be 40 hexadecimal digits (the SHA-1 of a mailto: IRI)"
	ruleIFI         = "must have exactly one inverse functional identifier: mbox, mbox_sha1sum, openid or account"
)
