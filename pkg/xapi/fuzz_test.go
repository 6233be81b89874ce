package xapi

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzDecodeStatements feeds arbitrary bodies to the decoder. It must never
// panic, must fail only with a *ValidationError, and whatever it accepts
// must survive the LRS's path: each statement's Raw decodes again to an
// equivalent statement, Prepare's output decodes and is equivalent, and the
// ids and canonical formats produce valid statements. Seeds are the spec
// examples and testdata/fuzz/FuzzDecodeStatements.
func FuzzDecodeStatements(f *testing.F) {
	files, _ := filepath.Glob("testdata/spec/*.json")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
	}
	f.Add([]byte(`[`+stmt()+`,`+stmt("context", `{"contextAgents":[{"objectType":"contextAgent","agent":`+agentJSON+`}]}`)+`]`), true)
	stored := time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte, v2 bool) {
		v := Version103
		if v2 {
			v = Version200
		}
		stmts, err := DecodeStatements(data, v)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Rule == "" {
				t.Fatalf("DecodeStatements error %T %v is not a ValidationError", err, err)
			}
			if _, again := DecodeStatements(data, v); again == nil || again.Error() != err.Error() {
				t.Fatalf("errors differ between runs: %v, then %v", err, again)
			}
			return
		}
		for i := range stmts {
			s := &stmts[i]
			back, err := DecodeStatement(s.Raw, v)
			if err != nil || !Equivalent(s, back) {
				t.Fatalf("statement %d: Raw does not decode to the same statement: %v", i, err)
			}
			RelatedAgents(s)
			RelatedActivities(s)
			for _, format := range []func([]byte) ([]byte, error){
				FormatIDs,
				func(b []byte) ([]byte, error) { return FormatCanonical(b, []string{"fr", "en"}) },
			} {
				out, err := format(s.Raw)
				if err != nil {
					t.Fatalf("statement %d: format: %v", i, err)
				}
				if _, err := DecodeStatement(out, Version200); err != nil {
					t.Fatalf("statement %d: formatted statement is invalid: %v\n%s", i, err, out)
				}
			}
			if err := s.Prepare(uuid1, stored, testAuthority, v); err != nil {
				t.Fatalf("statement %d: Prepare: %v", i, err)
			}
			prepared, err := DecodeStatement(s.Raw, Version200)
			if err != nil || !Equivalent(prepared, back) {
				t.Fatalf("statement %d: prepared statement is invalid or different: %v\n%s", i, err, s.Raw)
			}
		}
	})
}

// FuzzParseAgent feeds arbitrary agent parameters to ParseAgent.
func FuzzParseAgent(f *testing.F) {
	f.Add([]byte(`{"mbox":"mailto:a@example.com"}`))
	f.Add([]byte(`{"objectType":"Group","account":{"homePage":"http://e.com","name":"n"},"member":[{"openid":"http://e.com/o"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseAgent(data, Version200)
		if err == nil && a.IFI() == "" {
			t.Fatalf("ParseAgent accepted %s without an identifier", data)
		}
	})
}
