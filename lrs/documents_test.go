package lrs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/pkg/xapi"
)

func TestPreconditions(t *testing.T) {
	stored := &Document{SHA1: "abc"}
	tests := []struct {
		pre         Preconditions
		cur         *Document
		want        bool
		cond        Condition
		simple      bool // condition() gives one store condition
		description string
	}{
		{Preconditions{}, nil, true, Condition{}, true, "none, absent"},
		{Preconditions{}, stored, true, Condition{}, true, "none, present"},
		{Preconditions{IfMatch: []string{"abc"}}, stored, true, Condition{SHA1: "abc"}, true, "If-Match current"},
		{Preconditions{IfMatch: []string{"ABC"}}, stored, true, Condition{SHA1: "abc"}, true, "If-Match in upper case"},
		{Preconditions{IfMatch: []string{"def"}}, stored, false, Condition{SHA1: "def"}, true, "If-Match stale"},
		{Preconditions{IfMatch: []string{"abc"}}, nil, false, Condition{SHA1: "abc"}, true, "If-Match, absent"},
		{Preconditions{IfMatch: []string{"W/abc"}}, stored, false, Condition{SHA1: "w/abc"}, true, "If-Match weak"},
		{Preconditions{IfMatch: []string{"def", "abc"}}, stored, true, Condition{}, false, "If-Match list"},
		{Preconditions{IfMatch: []string{"*"}}, stored, true, Condition{}, false, "If-Match *, present"},
		{Preconditions{IfMatch: []string{"*"}}, nil, false, Condition{}, false, "If-Match *, absent"},
		{Preconditions{IfNoneMatch: []string{"*"}}, nil, true, Condition{Absent: true}, true, "If-None-Match *, absent"},
		{Preconditions{IfNoneMatch: []string{"*"}}, stored, false, Condition{Absent: true}, true, "If-None-Match *, present"},
		{Preconditions{IfNoneMatch: []string{"W/abc"}}, stored, false, Condition{}, false, "If-None-Match weak match"},
		{Preconditions{IfNoneMatch: []string{"def"}}, stored, true, Condition{}, false, "If-None-Match other"},
		{Preconditions{IfNoneMatch: []string{"def"}}, nil, true, Condition{}, false, "If-None-Match, absent"},
		{Preconditions{IfMatch: []string{"abc"}, IfNoneMatch: []string{"abc"}}, stored, false, Condition{}, false, "both, contradicting"},
		{Preconditions{IfMatch: []string{"abc"}, IfNoneMatch: []string{"def"}}, stored, true, Condition{}, false, "both, holding"},
	}
	for _, tt := range tests {
		if got := tt.pre.hold(tt.cur); got != tt.want {
			t.Errorf("%s: hold = %v, want %v", tt.description, got, tt.want)
		}
		cond, simple := tt.pre.condition()
		if simple != tt.simple || simple && cond != tt.cond {
			t.Errorf("%s: condition() = %+v, %v; want %+v, %v", tt.description, cond, simple, tt.cond, tt.simple)
		}
	}
}

func TestMergeObjects(t *testing.T) {
	tests := []struct {
		stored, sent, want, wantErr string
	}{
		{`{"x" : "foo", "y" : "bar"}`, `{"x" : "bash", "z" : "faz"}`, `{"x":"bash","y":"bar","z":"faz"}`, ""},
		{`{"a":{"b":1,"c":2}}`, `{"a":{"d":3}}`, `{"a":{"d":3}}`, ""}, // top level only
		{`{"n":1.10}`, `{"m":12345678901234567890.5e-3}`, `{"n":1.10,"m":12345678901234567890.5e-3}`, ""},
		{`{}`, `{"<&>":"\u00e9"}`, `{"\u003c\u0026\u003e":"\u00e9"}`, ""},
		{`{"a":1}`, `{}`, `{"a":1}`, ""},
		{`{"a":1}`, `[1]`, "", "must be a JSON object"},
		{`{"a":1}`, `{"a":1} {"b":2}`, "", "nothing after it"},
		{`{"a":1}`, `{"a":1,"a":2}`, "", "twice"},
		{`{"a":1}`, `{"a":}`, "", "must be a JSON object"},
		{`"text"`, `{"a":1}`, "", "stored document is not a JSON object"},
	}
	for _, tt := range tests {
		got, err := mergeObjects([]byte(tt.stored), []byte(tt.sent))
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("mergeObjects(%s, %s) = %s, %v; want an error saying %q", tt.stored, tt.sent, got, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || string(got) != tt.want):
			t.Errorf("mergeObjects(%s, %s) = %s, %v; want %s", tt.stored, tt.sent, got, err, tt.want)
		}
	}
}

func TestMergeDefinition(t *testing.T) {
	choice := `{"interactionType":"choice","correctResponsesPattern":["a"],"choices":[{"id":"a","description":{"en":"A"}},{"id":"b"}]}`
	tests := []struct {
		stored, sent, want string
	}{
		{`{"name":{"en-US":"One"}}`, `{"name":{"fr":"Un"},"type":"http://t/a"}`, `{"name":{"en-US":"One","fr":"Un"},"type":"http://t/a"}`},
		{`{"name":{"en-US":"One"},"type":"http://t/a"}`, `{"name":{"EN-us":"1"},"moreInfo":"https://m"}`, `{"name":{"EN-us":"1"},"type":"http://t/a","moreInfo":"https://m"}`},
		{`{"extensions":{"http://e/a":1,"http://e/b":{"x":[1]}}}`, `{"extensions":{"http://e/a":2.50}}`, `{"extensions":{"http://e/a":2.50,"http://e/b":{"x":[1]}}}`},
		// Interaction properties: kept once known, filled in where missing.
		{choice, `{"interactionType":"choice","correctResponsesPattern":["b"],"choices":[{"id":"b","description":{"en":"B"}},{"id":"c"}]}`,
			`{"interactionType":"choice","correctResponsesPattern":["a"],"choices":[{"id":"a","description":{"en":"A"}},{"id":"b","description":{"en":"B"}}]}`},
		{choice, `{"interactionType":"true-false","correctResponsesPattern":["true"]}`, choice},
		{`{"name":{"en":"Q"}}`, choice, `{"name":{"en":"Q"},` + choice[1:]},
		{`{"interactionType":"fill-in"}`, `{"interactionType":"fill-in","correctResponsesPattern":[]}`, `{"interactionType":"fill-in","correctResponsesPattern":[]}`},
	}
	for _, tt := range tests {
		got, err := MergeDefinition([]byte(tt.stored), []byte(tt.sent))
		if err != nil || string(got) != tt.want {
			t.Errorf("MergeDefinition(%s, %s) = %s, %v; want %s", tt.stored, tt.sent, got, err, tt.want)
		}
		// Merging the same again changes nothing.
		if again, _ := MergeDefinition(got, []byte(tt.sent)); string(again) != string(got) {
			t.Errorf("MergeDefinition(merged, the same) = %s, want %s", again, got)
		}
	}
}

func TestLearn(t *testing.T) {
	long := strings.Repeat("n", maxLearnedName+1)
	raw := fmt.Sprintf(`{"actor":{"objectType":"Group","name":"Team","mbox":"mailto:team@example.org","member":[{"name":"Ann","mbox":"mailto:Ann@Example.org"},{"mbox":"mailto:nameless@example.org"}]},
	"verb":{"id":"http://adlnet.gov/expapi/verbs/attempted"},
	"object":{"objectType":"SubStatement","actor":{"name":"Bob","account":{"homePage":"https://lms.example.org","name":"bob"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/attempted"},
		"object":{"id":"https://example.org/sub","definition":{"name":{"en":"Sub"},"extensions":{"http://e/x":[1, 2]}}}},
	"context":{"instructor":{"name":%q,"mbox":"mailto:long@example.org"},"contextActivities":{"parent":{"id":"https://example.org/course","definition":{"description":{"en":"C"}}},"grouping":[{"id":"https://example.org/nodef"}]}}}`, long)
	st, err := xapi.DecodeStatement([]byte(raw), xapi.Version103)
	if err != nil {
		t.Fatal(err)
	}
	defs, names := learn(st)
	var gotDefs []string
	for _, d := range defs {
		gotDefs = append(gotDefs, d.ActivityID+" "+string(d.JSON))
	}
	wantDefs := []string{`https://example.org/sub {"name":{"en":"Sub"},"extensions":{"http://e/x":[1,2]}}`, `https://example.org/course {"description":{"en":"C"}}`}
	if fmt.Sprint(gotDefs) != fmt.Sprint(wantDefs) {
		t.Errorf("learn definitions = %q, want %q", gotDefs, wantDefs)
	}
	wantNames := []AgentName{{"mbox:mailto:team@example.org", "Team"}, {"mbox:mailto:Ann@example.org", "Ann"}, {"account:https://lms.example.org|bob", "Bob"}}
	if fmt.Sprint(names) != fmt.Sprint(wantNames) {
		t.Errorf("learn names = %q, want %q", names, wantNames)
	}
}
