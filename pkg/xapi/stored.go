package xapi

import "strconv"

// Doc is a parsed JSON document whose values are read by property, with
// nothing decoded that is not asked for: for readers of stored statements,
// which were validated when stored and are read again often (the progress
// worker reads every one). Parsing costs a fraction of encoding/json's
// Unmarshal into a struct. Release a Doc when done; the strings it returned
// stay valid.
type Doc struct {
	t *tree
}

// ParseDoc parses src, which must hold exactly one JSON value.
func ParseDoc(src string) (*Doc, error) {
	t, err := parseTree(src)
	if err != nil {
		return nil, err
	}
	return &Doc{t: t}, nil
}

// Release returns the document's memory for reuse; d must not be used
// after.
func (d *Doc) Release() {
	d.t.release()
	d.t = nil
}

// Root is the document's top-level value.
func (d *Doc) Root() Value { return Value{d.t, d.t.root()} }

// Value is a value in a Doc, or an absent one: every method of an absent
// value, or of a value of another type, returns the zero result.
type Value struct {
	t *tree
	i int32
}

// Exists reports whether the value is present (null counts as present).
func (v Value) Exists() bool { return v.i >= 0 }

// Get returns property key of an object.
func (v Value) Get(key string) Value { return Value{v.t, v.t.get(v.i, key)} }

// IsObject reports whether the value is an object.
func (v Value) IsObject() bool { return v.i >= 0 && v.t.at(v.i).kind == kindObject }

// String returns a string's text, or "".
func (v Value) String() string {
	if v.i < 0 || v.t.at(v.i).kind != kindString {
		return ""
	}
	return v.t.at(v.i).str
}

// Float returns a number's value.
func (v Value) Float() (float64, bool) {
	if v.i < 0 || v.t.at(v.i).kind != kindNumber {
		return 0, false
	}
	f, err := strconv.ParseFloat(v.t.at(v.i).str, 64)
	return f, err == nil
}

// Bool returns a boolean's value.
func (v Value) Bool() (value, ok bool) {
	if v.i < 0 {
		return false, false
	}
	switch v.t.at(v.i).kind {
	case kindTrue:
		return true, true
	case kindFalse:
		return false, true
	}
	return false, false
}

// Len returns the number of an array's elements, or 0.
func (v Value) Len() int {
	if v.i < 0 || v.t.at(v.i).kind != kindArray {
		return 0
	}
	return int(v.t.at(v.i).n)
}

// Index returns element j of an array, 0 <= j < Len().
func (v Value) Index(j int) Value { return Value{v.t, v.t.elem(v.i, int32(j))} }
