package lrs

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
)

// isJSON reports whether a Content-Type is application/json, whatever its
// parameters.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

// member is one member of a JSON object, its value as it was written.
type member struct {
	key   string
	value json.RawMessage
}

// objectMembers reads a JSON object's members in order. A name given twice
// is an error: which value would be meant is not clear.
func objectMembers(data []byte) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("must be a JSON object")
	}
	var out []member
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, errors.New("must be a JSON object: " + err.Error())
		}
		key := t.(string) // inside an object, Token returns names as strings
		if seen[key] {
			return nil, errors.New("must not give the property " + key + " twice")
		}
		seen[key] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, errors.New("must be a JSON object: " + err.Error())
		}
		out = append(out, member{key, v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, errors.New("must be a JSON object: " + err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("must be one JSON object with nothing after it")
	}
	return out, nil
}

// checkObject is a DocumentError naming property unless data is a JSON
// object.
func checkObject(data []byte, property string) error {
	if _, err := objectMembers(data); err != nil {
		return &DocumentError{property, err.Error()}
	}
	return nil
}

// mergeObjects merges sent into stored as Communication §2.2 says: each
// top-level property sent replaces the stored one whole, others stay. The
// stored members keep their order and new ones follow in the order sent;
// values are copied as written, so numbers keep every digit.
func mergeObjects(stored, sent []byte) ([]byte, error) {
	old, err := objectMembers(stored)
	if err != nil {
		return nil, &DocumentError{"Content-Type", "the stored document is not a JSON object (" + err.Error() + "), so nothing can be merged into it; replace it with PUT"}
	}
	add, err := objectMembers(sent)
	if err != nil {
		return nil, &DocumentError{"body", err.Error()}
	}
	index := make(map[string]int, len(old))
	for i, m := range old {
		index[m.key] = i
	}
	for _, m := range add {
		if i, ok := index[m.key]; ok {
			old[i].value = m.value
		} else {
			index[m.key] = len(old)
			old = append(old, m)
		}
	}
	out := make([]byte, 0, len(stored)+len(sent))
	out = append(out, '{')
	for i, m := range old {
		if i > 0 {
			out = append(out, ',')
		}
		k, err := json.Marshal(m.key)
		if err != nil {
			return nil, err
		}
		out = append(out, k...)
		out = append(out, ':')
		out = append(out, m.value...)
	}
	return append(out, '}'), nil
}
