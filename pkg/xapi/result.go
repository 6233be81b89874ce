package xapi

import (
	"math"
	"strconv"
	"strings"
)

// result reads a statement's result (Data §2.4.5).
func (d *decoder) result(i int32) (*Result, *ValidationError) {
	if err := d.object(i); err != nil {
		return nil, err
	}
	score, success, completion, response, duration, ext := int32(-1), int32(-1), int32(-1), int32(-1), int32(-1), int32(-1)
	for j := range d.t.at(i).n {
		key, v := d.t.member(i, j)
		switch key {
		case "score":
			score = v
		case "success":
			success = v
		case "completion":
			completion = v
		case "response":
			response = v
		case "duration":
			duration = v
		case "extensions":
			ext = v
		default:
			return nil, failAt(key, ruleUnknown)
		}
	}
	r := new(Result)
	var err *ValidationError
	if score >= 0 {
		if r.Score, err = d.score(score); err != nil {
			return nil, err.under("score")
		}
	}
	if success >= 0 {
		b, err := d.boolean(success)
		if err != nil {
			return nil, err.under("success")
		}
		r.Success = &b
	}
	if completion >= 0 {
		b, err := d.boolean(completion)
		if err != nil {
			return nil, err.under("completion")
		}
		r.Completion = &b
	}
	if response >= 0 {
		s, err := d.string(response)
		if err != nil {
			return nil, err.under("response")
		}
		r.Response = &s
	}
	if duration >= 0 {
		if r.Duration, err = d.formatted(duration, validDuration, ruleDuration); err != nil {
			return nil, err.under("duration")
		}
	}
	if ext >= 0 {
		if r.Extensions, err = d.extensions(ext); err != nil {
			return nil, err.under("extensions")
		}
	}
	return r, nil
}

// score reads a Score (Data §2.4.5.1): scaled in [-1, 1], min < max, and
// raw within [min, max] as far as they are given.
func (d *decoder) score(i int32) (*Score, *ValidationError) {
	if err := d.object(i); err != nil {
		return nil, err
	}
	sc := new(Score)
	var vals *[4]float64 // one allocation for all four values
	for j := range d.t.at(i).n {
		key, v := d.t.member(i, j)
		var dst **float64
		k := 0
		switch key {
		case "scaled":
			dst, k = &sc.Scaled, 0
		case "raw":
			dst, k = &sc.Raw, 1
		case "min":
			dst, k = &sc.Min, 2
		case "max":
			dst, k = &sc.Max, 3
		default:
			return nil, failAt(key, ruleUnknown)
		}
		f, err := d.number(v)
		if err != nil {
			return nil, err.under(key)
		}
		if vals == nil {
			vals = new([4]float64)
		}
		vals[k] = f
		*dst = &vals[k]
	}
	switch {
	case sc.Scaled != nil && (*sc.Scaled < -1 || *sc.Scaled > 1):
		return nil, failAt("scaled", "must be between -1 and 1 inclusive")
	case sc.Min != nil && sc.Max != nil && *sc.Min >= *sc.Max:
		return nil, failAt("min", "must be less than max")
	case sc.Raw != nil && sc.Min != nil && *sc.Raw < *sc.Min:
		return nil, failAt("raw", "must not be less than min")
	case sc.Raw != nil && sc.Max != nil && *sc.Raw > *sc.Max:
		return nil, failAt("raw", "must not be greater than max")
	}
	return sc, nil
}

// attachments reads a statement's attachments (Data §2.4.11).
func (d *decoder) attachments(i int32) ([]Attachment, *ValidationError) {
	if err := d.array(i); err != nil {
		return nil, err
	}
	n := d.t.at(i).n
	out := make([]Attachment, n)
	for j := range n {
		a, err := d.attachment(d.t.elem(i, j))
		if err != nil {
			return nil, err.at(int(j))
		}
		out[j] = a
	}
	return out, nil
}

// Slots of an attachment's properties, in the order of the Data §2.4.11
// table.
const (
	aUsageType = iota
	aDisplay
	aDescription
	aContentType
	aLength
	aSHA2
	aFileURL
	aCount
)

var attachmentKeys = [aCount]string{"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}

func (d *decoder) attachment(i int32) (Attachment, *ValidationError) {
	var a Attachment
	if err := d.object(i); err != nil {
		return a, err
	}
	var slot [aCount]int32
	for k := range slot {
		slot[k] = -1
	}
members:
	for j := range d.t.at(i).n {
		key, v := d.t.member(i, j)
		for k, name := range attachmentKeys {
			if key == name {
				slot[k] = v
				continue members
			}
		}
		return a, failAt(key, ruleUnknown)
	}
	for _, k := range []int{aUsageType, aDisplay, aContentType, aLength, aSHA2} {
		if slot[k] < 0 {
			return a, failAt(attachmentKeys[k], ruleRequired)
		}
	}
	var err *ValidationError
	if a.UsageType, err = d.iri(slot[aUsageType]); err != nil {
		return a, err.under("usageType")
	}
	if a.Display, err = d.langMap(slot[aDisplay]); err != nil {
		return a, err.under("display")
	}
	if v := slot[aDescription]; v >= 0 {
		if a.Description, err = d.langMap(v); err != nil {
			return a, err.under("description")
		}
	}
	if a.ContentType, err = d.formatted(slot[aContentType], validMediaType, "must be an Internet media type such as text/plain"); err != nil {
		return a, err.under("contentType")
	}
	if a.UsageType == SignatureUsageType && a.ContentType != "application/octet-stream" {
		// Data §2.6: the JWS travels as application/octet-stream.
		return a, failAt("contentType", `must be "application/octet-stream" for a signature`)
	}
	if a.Length, err = d.length(slot[aLength]); err != nil {
		return a, err.under("length")
	}
	if a.SHA2, err = d.formatted(slot[aSHA2], validSHA2, "must be the hex SHA-2 (224, 256, 384 or 512 bits) of the attachment"); err != nil {
		return a, err.under("sha2")
	}
	// Hex in either case names the same bytes; parts are matched in lower case.
	a.SHA2 = strings.ToLower(a.SHA2)
	if v := slot[aFileURL]; v >= 0 {
		if a.FileURL, err = d.formatted(v, validIRI, "must be an IRL with a scheme"); err != nil {
			return a, err.under("fileUrl")
		}
	}
	return a, nil
}

// length reads an attachment length: a non-negative integer. A number
// written with a fraction or exponent is accepted when its value is a whole
// number ("27.0"), since JSON does not distinguish integers.
func (d *decoder) length(i int32) (int64, *ValidationError) {
	f, err := d.number(i)
	const rule = "must be a non-negative integer (octets)"
	if err != nil {
		return 0, d.typeError(i, rule)
	}
	s := d.t.at(i).str
	if n, perr := strconv.ParseInt(s, 10, 64); perr == nil {
		if n < 0 {
			return 0, fail(rule)
		}
		return n, nil
	}
	if f < 0 || f != math.Trunc(f) || f > 1<<53 {
		return 0, fail(rule)
	}
	return int64(f), nil
}
