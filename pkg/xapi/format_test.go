package xapi

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/format")

// TestFormatGolden formats spec examples as ids and canonical and compares
// with testdata/format/NAME.{ids,canonical}.json (indented for reading).
func TestFormatGolden(t *testing.T) {
	langs := ParseAcceptLanguage("en-GB;q=0.9, fr, *;q=0.1")
	for _, name := range []string{
		"data-appendix-a-long", "data-appendix-b-group", "data-appendix-b-substatement",
		"data-appendix-c-matching", "data-2.4.9-oauth-authority", "data-2.4.6.2-context-activities",
	} {
		raw := readFile(t, filepath.Join("testdata/spec", name+".json"))
		for _, f := range []struct {
			suffix string
			format func([]byte) ([]byte, error)
		}{
			{"ids", FormatIDs},
			{"canonical", func(b []byte) ([]byte, error) { return FormatCanonical(b, langs) }},
		} {
			out, err := f.format(raw)
			if err != nil {
				t.Fatalf("%s %s: %v", name, f.suffix, err)
			}
			if _, err := DecodeStatement(out, Version103); err != nil {
				t.Errorf("%s %s: output is not a valid statement: %v", name, f.suffix, err)
			}
			var got bytes.Buffer
			if err := json.Indent(&got, out, "", "  "); err != nil {
				t.Fatalf("%s %s: output is not JSON: %v\n%s", name, f.suffix, err, out)
			}
			got.WriteByte('\n')
			golden := filepath.Join("testdata/format", name+"."+f.suffix+".json")
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if want := readFile(t, golden); !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs (-want +got):\n-%s\n+%s", golden, want, got.Bytes())
			}
		}
	}
}

func TestFormatIDs(t *testing.T) {
	tests := []struct{ in, want string }{{
		stmt("actor", `{"objectType":"Group","name":"G","member":[{"name":"A","mbox":"mailto:a@example.com"},{"objectType":"Agent","openid":"http://e.com/b","name":"B"}]}`,
			"verb", `{"id":"http://example.com/v","display":{"en":"did"}}`,
			"object", `{"objectType":"Group","name":"T","mbox":"mailto:t@example.com","member":[`+agentJSON+`]}`),
		`{"actor":{"objectType":"Group","member":[{"mbox":"mailto:a@example.com"},{"objectType":"Agent","openid":"http://e.com/b"}]},"verb":{"id":"http://example.com/v"},"object":{"objectType":"Group","mbox":"mailto:t@example.com"}}`,
	}, {
		stmt("object", `{"definition":{"name":{"en":"A"}},"id":"http://example.com/a"}`,
			"context", `{"instructor":{"name":"I","mbox":"mailto:i@example.com"},"platform":"web","contextActivities":{"parent":{"id":"http://e.com/p","definition":{}}},"extensions":{"http://e.com/x":{"name":"kept"}}}`,
			"result", `{"score":{"raw":1.50}}`),
		`{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/verbs/did"},"object":{"id":"http://example.com/a"},` +
			`"context":{"instructor":{"mbox":"mailto:i@example.com"},"platform":"web","contextActivities":{"parent":[{"id":"http://e.com/p"}]},"extensions":{"http://e.com/x":{"name":"kept"}}},"result":{"score":{"raw":1.50}}}`,
	}}
	for _, tt := range tests {
		got, err := FormatIDs([]byte(tt.in))
		if err != nil || string(got) != tt.want {
			t.Errorf("FormatIDs(%s) =\n%s, %v\nwant\n%s", tt.in, got, err, tt.want)
		}
	}
	if _, err := FormatIDs([]byte(`[1]`)); err == nil {
		t.Error("FormatIDs accepted an array")
	}
	if _, err := FormatCanonical([]byte(`{`), nil); err == nil {
		t.Error("FormatCanonical accepted malformed JSON")
	}
}

func TestParseAcceptLanguage(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"da, en-gb;q=0.8, en;q=0.7", []string{"da", "en-gb", "en"}},
		{"en;q=0.5, fr;q=0.9, de", []string{"de", "fr", "en"}},
		{"en;q=0, fr", []string{"fr"}},
		{"*;q=0.1, es-MX", []string{"es-MX", "*"}},
		{"en;q=x, en_US, fr;q=1.5, de;level=1, it ; q=0.3", []string{"it"}},
	}
	for _, tt := range tests {
		if got := ParseAcceptLanguage(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("ParseAcceptLanguage(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPickLanguage(t *testing.T) {
	tests := []struct {
		keys   string
		ranges []string
		want   string
	}{
		{"en-US en-GB es", []string{"en-GB"}, "en-GB"},
		{"en-US en-GB es", []string{"EN-gb"}, "en-GB"},
		{"en-US en-GB es", []string{"en"}, "en-US"},
		{"en-US en-GB es", []string{"fr", "es"}, "es"},
		{"en-US en-GB es", []string{"es-MX"}, "es"},
		{"en en-GB", []string{"en-GB-x-private"}, "en-GB"},
		{"en en-US", []string{"en-GB-x-private"}, "en"},
		{"zh-Hant-TW zh-Hans", []string{"zh-Hans-CN"}, "zh-Hans"},
		{"de fr", []string{"it"}, "de"},
		{"de fr", []string{"*"}, "de"},
		{"de fr", nil, "de"},
		{"en-US fr", []string{"e"}, "en-US"},
	}
	for _, tt := range tests {
		keys := strings.Fields(tt.keys)
		var b strings.Builder
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"` + k + `":"x"`)
		}
		b.WriteByte('}')
		tr, err := parseTree(b.String())
		if err != nil {
			t.Fatal(err)
		}
		key, _ := tr.member(tr.root(), pickLanguage(tr, tr.root(), tt.ranges))
		if key != tt.want {
			t.Errorf("pickLanguage(%s, %q) = %q, want %q", tt.keys, tt.ranges, key, tt.want)
		}
		tr.release()
	}
}
