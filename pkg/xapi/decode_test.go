package xapi

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readFile reads a test fixture.
func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mustDecode decodes one statement or fails the test.
func mustDecode(t *testing.T, src string, v Version) *Statement {
	t.Helper()
	s, err := DecodeStatement([]byte(src), v)
	if err != nil {
		t.Fatalf("DecodeStatement(%s) = %v", src, err)
	}
	return s
}

// TestSpecExamples decodes every example statement of the specification
// texts, copied into testdata/spec (fragments such as Appendix C's
// definitions wrapped in a minimal statement). All must be valid under both
// rule sets, except the 0.9 statement of Communication Appendix A, whose
// first problem is a property 1.0 dropped.
func TestSpecExamples(t *testing.T) {
	files, err := filepath.Glob("testdata/spec/*.json")
	if err != nil || len(files) < 30 {
		t.Fatalf("found %d fixtures (%v)", len(files), err)
	}
	for _, file := range files {
		for _, v := range []Version{Version103, Version200} {
			src := readFile(t, file)
			s, err := DecodeStatement(src, v)
			if strings.HasSuffix(file, "-0.9.json") {
				var ve *ValidationError
				if !errors.As(err, &ve) || ve.Property != "inProgress" || ve.Rule != ruleUnknown {
					t.Errorf("%s (%v): error %v, want inProgress: %s", file, v, err, ruleUnknown)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s (%v): %v", file, v, err)
				continue
			}
			if string(s.Raw) != strings.TrimSpace(string(src)) {
				t.Errorf("%s: Raw is not the statement as sent", file)
			}
		}
	}
}

func TestDecodeLongExample(t *testing.T) {
	s := mustDecode(t, string(readFile(t, "testdata/spec/data-appendix-a-long.json")), Version103)
	if s.ID != "6690e6c9-3ef0-4ed3-8b37-7f3964730bee" || !s.Actor.IsGroup() || len(s.Actor.Member) != 3 {
		t.Errorf("actor = %+v", s.Actor)
	}
	if got := s.Actor.IFI(); got != "mbox:mailto:teampb@example.com" {
		t.Errorf("actor IFI = %q", got)
	}
	if got := s.Actor.Member[0].IFI(); got != "account:http://www.example.com|13936749" {
		t.Errorf("member IFI = %q", got)
	}
	if s.Verb.ID != "http://adlnet.gov/expapi/verbs/attended" || s.Verb.Display[0] != (LangString{"en-GB", "attended"}) {
		t.Errorf("verb = %+v", s.Verb)
	}
	if text, ok := s.Verb.Display.Get("en-us"); !ok || text != "attended" {
		t.Errorf("Display.Get(en-us) = %q, %v", text, ok)
	}
	if _, ok := s.Verb.Display.Get("fr"); ok {
		t.Error("Display.Get(fr) found an entry")
	}
	if s.Object.Kind != KindActivity || s.Object.ID != "http://www.example.com/meetings/occurances/34534" ||
		s.Object.Definition.MoreInfo != "http://virtualmeeting.example.com/345256" {
		t.Errorf("object = %+v", s.Object)
	}
	ext, _ := s.Object.Definition.Extensions.Get("http://example.com/profiles/meetings/activitydefinitionextensions/room")
	if string(ext) != `{"name": "Kilby", "id" : "http://example.com/rooms/342"}` {
		t.Errorf("extension = %s", ext)
	}
	r := s.Result
	if r == nil || *r.Success != true || *r.Response != "We agreed on some example actions." || r.Duration != "PT1H0M0S" {
		t.Errorf("result = %+v", r)
	}
	c := s.Context
	if c.Registration != "ec531277-b57b-4c15-8d91-d292c5b2b8f7" || c.Language != "tlh" || c.Statement != s.ID ||
		c.Instructor.Name != "Andrew Downes" || !c.Team.IsGroup() || len(c.ContextActivities.Other) != 2 {
		t.Errorf("context = %+v", c)
	}
	want := time.Date(2013, 5, 18, 5, 32, 34, 804e6, time.UTC)
	if !s.Timestamp.Equal(want) || !s.Stored.Equal(want) {
		t.Errorf("timestamp, stored = %v, %v; want %v", s.Timestamp, s.Stored, want)
	}
	if s.Authority.IFI() != "account:http://cloud.scorm.com/|anonymous" || s.Version != "1.0.0" {
		t.Errorf("authority, version = %+v, %q", s.Authority, s.Version)
	}
}

func TestDecodeStatementsBatch(t *testing.T) {
	one := `{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"}`
	batch := "[" + one + `},` + one + `,"id":"AAAAAAAA-1234-5678-1234-567812345678"}]`
	got, err := DecodeStatements([]byte(batch), Version103)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].ID != "aaaaaaaa-1234-5678-1234-567812345678" {
		t.Fatalf("DecodeStatements = %d statements, second id %q", len(got), got[1].ID)
	}
	if string(got[0].Raw) != one+"}" {
		t.Errorf("Raw[0] = %s", got[0].Raw)
	}
	single, err := DecodeStatements([]byte(one+"}"), Version103)
	if err != nil || len(single) != 1 {
		t.Errorf("DecodeStatements(single) = %v, %v", single, err)
	}
	empty, err := DecodeStatements([]byte(" [ ] "), Version103)
	if err != nil || len(empty) != 0 {
		t.Errorf("DecodeStatements([]) = %v, %v", empty, err)
	}
}

// TestDecodeCopiesInput checks that decoded statements do not alias the
// caller's buffer, which an HTTP server reuses.
func TestDecodeCopiesInput(t *testing.T) {
	src := []byte(`{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"},"result":{"extensions":{"http://example.com/x":1}}}`)
	s, err := DecodeStatement(src, Version103)
	if err != nil {
		t.Fatal(err)
	}
	want := string(src)
	for i := range src {
		src[i] = 'x'
	}
	if string(s.Raw) != want || s.Verb.ID != "http://example.com/v" || string(s.Result.Extensions[0].Value) != "1" {
		t.Errorf("statement changed with its input: %s", s.Raw)
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in   string
		want Version
	}{
		{"1.0", Version103}, {"1.0.0", Version103}, {"1.0.3", Version103}, {"1.0.12", Version103},
		{"2.0", Version200}, {"2.0.0", Version200},
		{"", 0}, {"0.95", 0}, {"1.1.0", 0}, {"1.0.", 0}, {"1.0.3a", 0}, {"2.1.0", 0}, {"3.0.0", 0}, {" 1.0.0", 0},
	}
	for _, tt := range tests {
		got, err := ParseVersion(tt.in)
		if got != tt.want || (err != nil) != (tt.want == 0) {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if Version103.StatementVersion() != "1.0.0" || Version200.StatementVersion() != "2.0.0" ||
		Version103.String() != "1.0.3" || Version200.String() != "2.0.0" {
		t.Error("version strings changed")
	}
}

func TestParseAgent(t *testing.T) {
	a, err := ParseAgent([]byte(`{"mbox":"mailto:Ann@EXAMPLE.com"}`), Version103)
	if err != nil || a.IFI() != "mbox:mailto:Ann@example.com" {
		t.Errorf("ParseAgent = %+v, %v", a, err)
	}
	g, err := ParseAgent([]byte(`{"objectType":"Group","account":{"homePage":"http://example.com","name":"team"}}`), Version103)
	if err != nil || g.IFI() != "account:http://example.com|team" {
		t.Errorf("ParseAgent(group) = %+v, %v", g, err)
	}
	for _, tt := range []struct{ in, prop, rule string }{
		{`{"objectType":"Group","member":[{"mbox":"mailto:a@example.com"}]}`, "", "must be an Agent or an identified Group: " + ruleIFI},
		{`{"mbox":"a@example.com"}`, "mbox", ruleMbox},
		{`{"account":{"homePage":"example.com","name":"x"}}`, "account.homePage", "must be an IRL with a scheme"},
		{`"mailto:a@example.com"`, "", ruleObject},
		{`{"mbox":"mailto:a@example.com"`, "", "malformed JSON at byte 30: unexpected end of input in an object"},
	} {
		_, err := ParseAgent([]byte(tt.in), Version103)
		checkError(t, tt.in, err, tt.prop, tt.rule)
	}
}

// checkError fails unless err is a ValidationError with the given property
// and rule.
func checkError(t *testing.T, in string, err error, prop, rule string) {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("%s: error %v, want %s: %s", in, err, prop, rule)
		return
	}
	if ve.Property != prop || ve.Rule != rule {
		t.Errorf("%s:\n got %q: %q\nwant %q: %q", in, ve.Property, ve.Rule, prop, rule)
	}
}

// TestValidStatements lists statements at the edges of the rules that must
// be accepted.
func TestValidStatements(t *testing.T) {
	ctx20 := `{"contextAgents":[{"objectType":"contextAgent","agent":{"objectType":"Agent","mbox":"mailto:p@example.com"},"relevantTypes":["https://example.com/types/player"]}],` +
		`"contextGroups":[{"objectType":"contextGroup","group":{"objectType":"Group","member":[{"mbox":"mailto:p@example.com"}]}}]}`
	tests := []struct {
		name string
		json string
		v    Version
	}{
		{"2.0 RFC 3339 timestamp", stmt("timestamp", `"2008-09-15 15:53:00.601+00:00"`), Version200},
		{"2.0 context agents and groups", stmt("context", ctx20), Version200},
		{"2.0 version", stmt("version", `"2.0.0"`), Version200},
		{"1.0 version in 2.0", stmt("version", `"1.0.0"`), Version200},
		{"later 1.0 patch", stmt("version", `"1.0.9"`), Version103},
		{"1.0 as the version header takes it", stmt("version", `"1.0"`), Version103},
		{"2.0 as the version header takes it", stmt("version", `"2.0"`), Version200},
		{"basic format timestamp", stmt("timestamp", `"20150101T120000.123+0100"`), Version103},
		{"timestamp without zone", stmt("timestamp", `"2015-01-01T12:00:00"`), Version103},
		{"future timestamp", stmt("timestamp", `"2999-01-01T00:00:00Z"`), Version103},
		{"uppercase ids", stmt("id", `"FD41C918-B88B-4B20-A0A5-A4C32391AAA0"`, "context", `{"registration":"EC531277-B57B-4C15-8D91-D292C5B2B8F7"}`), Version103},
		{"uppercase mailto", stmt("actor", `{"mbox":"MAILTO:Ann@Example.com"}`), Version103},
		{"uppercase sha1", stmt("actor", `{"mbox_sha1sum":"EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"}`), Version103},
		{"escaped property name", `{"\u0061ctor":` + agentJSON + `,"verb":` + verbJSON + `,"object":` + activityJSON + `}`, Version103},
		{"byte order mark", "\ufeff" + stmt(), Version103},
		{"null and anything inside extensions", stmt("result", `{"extensions":{"http://e.com/null":null,"http://e.com/deep":{"a":[1,{"b":null}],"A":true}}}`), Version103},
		{"empty objects", stmt("result", `{}`, "context", `{"extensions":{}}`, "object", `{"id":"http://example.com/a","definition":{}}`), Version103},
		{"numbers", stmt("result", `{"score":{"scaled":-0.5e-1,"raw":1E+2,"min":-1e2,"max":100.0}}`), Version103},
		{"response empty", stmt("result", `{"response":""}`), Version103},
		{"unicode IRI", stmt("verb", `{"id":"http://example.com/فعل/خواندن"}`), Version103},
		{"single context activity", stmt("context", `{"contextActivities":{"parent":`+activityJSON+`,"other":[]}}`), Version103},
		{"context statement ref", stmt("context", `{"statement":{"objectType":"StatementRef","id":"`+uuid1+`"}}`), Version103},
		{"agent object", stmt("object", `{"objectType":"Agent","account":{"homePage":"http://example.com","name":"1625378"}}`, "context", `{"language":"en"}`), Version103},
		{"anonymous group actor", stmt("actor", `{"objectType":"Group","member":[{"openid":"http://example.com/a"}]}`), Version103},
		{"identified group without members", stmt("actor", `{"objectType":"Group","mbox_sha1sum":"ebd31e95054c018b10727ccffd2ef2ec3a016ee9"}`), Version103},
		{"instructor group", stmt("context", `{"instructor":{"objectType":"Group","member":[`+agentJSON+`]}}`), Version103},
		{"attachment length as 27.0", stmt("attachments", `[`+attachment("length", `27.0`)+`]`), Version103},
		{"attachment with sha512", stmt("attachments", `[`+attachment("sha2", `"`+sha256Hex+sha256Hex+`"`)+`]`), Version103},
		{"attachment with fileUrl", stmt("attachments", `[`+attachment("fileUrl", `"http://over.there.com/file.txt"`)+`]`), Version103},
		{"substatement future timestamp", stmt("object", `{"objectType":"SubStatement","actor":`+agentJSON+`,"verb":`+verbJSON+`,"object":`+activityJSON+`,"timestamp":"2999-01-01T00:00:00Z"}`), Version103},
		{"voiding", stmt("verb", `{"id":"`+VoidedVerb+`"}`, "object", `{"objectType":"StatementRef","id":"`+uuid1+`"}`), Version103},
	}
	for _, tt := range tests {
		if _, err := DecodeStatements([]byte(tt.json), tt.v); err != nil {
			t.Errorf("%s: DecodeStatements(%s, %v) = %v", tt.name, tt.json, tt.v, err)
		}
	}
}
