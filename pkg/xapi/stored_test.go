package xapi

import "testing"

func TestDoc(t *testing.T) {
	doc, err := ParseDoc(`{"a":{"s":"x\u00e9","n":-1.5e2,"t":true,"f":false,"z":null},"l":[{"id":"p"},{"id":"q"}],"o":{"id":"r"}}`)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Release()
	r := doc.Root()
	a := r.Get("a")
	if got := a.Get("s").String(); got != "xé" {
		t.Errorf(`a.s = %q, want "xé"`, got)
	}
	if f, ok := a.Get("n").Float(); !ok || f != -150 {
		t.Errorf("a.n = %v, %v; want -150", f, ok)
	}
	if b, ok := a.Get("t").Bool(); !ok || !b {
		t.Errorf("a.t = %v, %v; want true", b, ok)
	}
	if b, ok := a.Get("f").Bool(); !ok || b {
		t.Errorf("a.f = %v, %v; want false", b, ok)
	}
	if !a.Get("z").Exists() || a.Get("missing").Exists() {
		t.Error("a.z should exist (null) and a.missing not")
	}
	// Wrong types and absent values give zero results.
	if a.Get("n").String() != "" || a.Get("s").Len() != 0 || r.Get("none").Get("deeper").IsObject() {
		t.Error("a value of another type or an absent one gave a non-zero result")
	}
	if _, ok := a.Get("s").Float(); ok {
		t.Error("a string read as a number")
	}
	l := r.Get("l")
	if l.Len() != 2 || l.Index(1).Get("id").String() != "q" {
		t.Errorf("l = %d elements, l[1].id = %q; want 2 and q", l.Len(), l.Index(1).Get("id").String())
	}
	if !r.Get("o").IsObject() || l.IsObject() {
		t.Error("IsObject wrong for o or l")
	}
}

func TestParseDocRejects(t *testing.T) {
	for _, src := range []string{``, `{`, `{"a":1} x`, `{"a":01}`} {
		if _, err := ParseDoc(src); err == nil {
			t.Errorf("ParseDoc(%q) = nil error, want a syntax error", src)
		}
	}
}
