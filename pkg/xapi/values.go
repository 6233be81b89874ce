package xapi

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// decoder turns a parsed tree into model values, checking every rule.
// Checks return errors without a path; callers add it with under and at.
type decoder struct {
	t *tree
	v Version
	// raw is a private copy of the source: Raw fields and extension values
	// are slices of it.
	raw []byte
}

// typeError explains a value of the wrong JSON type; null gets its own rule
// because Data §2.2 names it.
func (d *decoder) typeError(i int32, rule string) *ValidationError {
	if d.t.at(i).kind == kindNull {
		return fail(ruleNull)
	}
	return fail(rule)
}

func (d *decoder) object(i int32) *ValidationError {
	if d.t.at(i).kind != kindObject {
		return d.typeError(i, ruleObject)
	}
	return nil
}

func (d *decoder) array(i int32) *ValidationError {
	if d.t.at(i).kind != kindArray {
		return d.typeError(i, ruleArray)
	}
	return nil
}

func (d *decoder) string(i int32) (string, *ValidationError) {
	n := d.t.at(i)
	if n.kind != kindString {
		return "", d.typeError(i, ruleString)
	}
	return n.str, nil
}

// constant checks a string that must be exactly want, such as an
// objectType (Data §2.2: enumerated values are case-sensitive).
func (d *decoder) constant(i int32, want string) *ValidationError {
	s, err := d.string(i)
	if err != nil {
		return err
	}
	if s != want {
		return fail(`must be "` + want + `"`)
	}
	return nil
}

func (d *decoder) boolean(i int32) (bool, *ValidationError) {
	switch d.t.at(i).kind {
	case kindTrue:
		return true, nil
	case kindFalse:
		return false, nil
	}
	return false, d.typeError(i, ruleBoolean)
}

// number reads a JSON number; the text is kept in Raw, this is for checks
// and indexing.
func (d *decoder) number(i int32) (float64, *ValidationError) {
	n := d.t.at(i)
	if n.kind != kindNumber {
		return 0, d.typeError(i, ruleNumber)
	}
	f, err := strconv.ParseFloat(n.str, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, fail("must be a number within the range of a 64-bit float")
	}
	return f, nil
}

// formatted reads a string that must pass check; the empty string never
// does (Data §2.2: "including the empty string").
func (d *decoder) formatted(i int32, check func(string) bool, rule string) (string, *ValidationError) {
	s, err := d.string(i)
	if err != nil {
		return "", d.typeError(i, rule)
	}
	if !check(s) {
		return "", fail(rule)
	}
	return s, nil
}

func (d *decoder) iri(i int32) (string, *ValidationError) {
	return d.formatted(i, validIRI, ruleIRI)
}

// uuid reads a UUID and lowercases it (Data §4.4).
func (d *decoder) uuid(i int32) (string, *ValidationError) {
	s, err := d.formatted(i, validUUID, ruleUUID)
	if err != nil {
		return "", err
	}
	return lowerASCII(s), nil
}

// iriList reads an array of IRIs; nonEmpty rejects [].
func (d *decoder) iriList(i int32, nonEmpty bool) ([]string, *ValidationError) {
	if err := d.array(i); err != nil {
		return nil, err
	}
	n := d.t.at(i).n
	if n == 0 && nonEmpty {
		return nil, fail("must list at least one IRI")
	}
	out := make([]string, n)
	for j := range n {
		s, err := d.iri(d.t.elem(i, j))
		if err != nil {
			return nil, err.at(int(j))
		}
		out[j] = s
	}
	return out, nil
}

// langMap reads a language map (Data §4.2): keys are RFC 5646 tags, values
// strings.
func (d *decoder) langMap(i int32) (LanguageMap, *ValidationError) {
	if err := d.object(i); err != nil {
		return nil, err
	}
	n := d.t.at(i).n
	m := make(LanguageMap, n)
	for j := range n {
		key, v := d.t.member(i, j)
		if !validLangTag(key) {
			return nil, failAt(key, "is not an RFC 5646 language tag")
		}
		s, err := d.string(v)
		if err != nil {
			return nil, err.under(key)
		}
		m[j] = LangString{Tag: key, Text: s}
	}
	return m, nil
}

// extensions reads an extensions map (Data §4.1): keys are IRIs, values
// anything, null included, and are kept as sent.
func (d *decoder) extensions(i int32) (Extensions, *ValidationError) {
	if err := d.object(i); err != nil {
		return nil, err
	}
	n := d.t.at(i).n
	m := make(Extensions, n)
	for j := range n {
		key, v := d.t.member(i, j)
		if !validIRI(key) {
			return nil, failAt(key, "is not an IRI with a scheme (extension keys must be IRIs)")
		}
		vn := d.t.at(v)
		m[j] = Extension{IRI: key, Value: json.RawMessage(d.raw[vn.start:vn.end:vn.end])}
	}
	return m, nil
}

// timestamp reads a Timestamp (Data §4.5).
func (d *decoder) timestamp(i int32) (time.Time, *ValidationError) {
	rule := ruleTimestamp
	if d.v == Version200 {
		rule = ruleTimestamp20
	}
	s, err := d.string(i)
	if err != nil {
		return time.Time{}, d.typeError(i, rule)
	}
	t, ok := parseTimestamp(s, d.v)
	if !ok {
		return time.Time{}, fail(rule)
	}
	return t, nil
}

// lowerASCII lowercases ASCII letters without allocating when there are
// none to change.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}
