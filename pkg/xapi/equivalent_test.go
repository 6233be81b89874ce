package xapi

import (
	"slices"
	"testing"
)

func TestEquivalent(t *testing.T) {
	const (
		group    = `{"objectType":"Group","member":[{"mbox":"mailto:a@example.com"},{"mbox":"mailto:b@example.com"}]}`
		reversed = `{"objectType":"Group","member":[{"mbox":"mailto:b@example.com"},{"mbox":"mailto:a@example.com"}]}`
		sub      = `{"objectType":"SubStatement","actor":` + agentJSON + `,"verb":{"id":"http://example.com/v1"},"object":` + activityJSON + `}`
		sub2     = `{"objectType":"SubStatement","actor":` + agentJSON + `,"verb":{"id":"http://example.com/v2"},"object":` + activityJSON + `}`
	)
	base := stmt("id", `"`+uuid1+`"`, "timestamp", `"2013-05-18T05:32:34.804Z"`)
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"identical", base, base, true},
		{"order and spacing", `{ "verb" : ` + verbJSON + `, "object":` + activityJSON + `,"actor":` + agentJSON + `}`, stmt(), true},
		{"LRS-set properties", stmt(), stmt("id", `"`+uuid1+`"`, "stored", `"2020-01-01T00:00:00Z"`, "authority", `{"mbox":"mailto:lrs@example.com"}`, "version", `"1.0.0"`), true},
		{"timestamp assigned", stmt(), stmt("timestamp", `"2013-05-18T05:32:34.804Z"`), true},
		{"timestamp offset", base, stmt("id", `"`+uuid1+`"`, "timestamp", `"2013-05-18T07:32:34.804+02:00"`), true},
		{"timestamp beyond milliseconds", stmt("timestamp", `"2013-05-18T05:32:34.8041Z"`), stmt("timestamp", `"2013-05-18T05:32:34.8049Z"`), true},
		{"timestamp differs", base, stmt("timestamp", `"2013-05-18T05:32:35.804Z"`), false},
		{"verb display", stmt("verb", `{"id":"http://example.com/v","display":{"en-US":"did"}}`), stmt("verb", `{"id":"http://example.com/v","display":{"fr":"fit"}}`), true},
		{"verb id", stmt("verb", `{"id":"http://example.com/v"}`), stmt("verb", `{"id":"http://example.com/w"}`), false},
		{"activity definition", stmt("object", `{"id":"http://example.com/a","definition":{"name":{"en":"A"}}}`), stmt("object", `{"objectType":"Activity","id":"http://example.com/a"}`), true},
		{"activity id", stmt("object", `{"id":"http://example.com/a"}`), stmt("object", `{"id":"http://example.com/A"}`), false},
		{"attachments", stmt("attachments", `[`+attachment("length", "1")+`]`), stmt(), true},
		{"member order", stmt("actor", group), stmt("actor", reversed), true},
		{"members differ", stmt("actor", group), stmt("actor", `{"objectType":"Group","member":[{"mbox":"mailto:a@example.com"},{"mbox":"mailto:c@example.com"}]}`), false},
		{"member repeated", stmt("actor", group), stmt("actor", `{"objectType":"Group","member":[{"mbox":"mailto:a@example.com"},{"mbox":"mailto:a@example.com"}]}`), false},
		{"mbox domain case", stmt("actor", `{"mbox":"mailto:Ann@EXAMPLE.com"}`), stmt("actor", `{"objectType":"Agent","mbox":"MAILTO:Ann@example.COM"}`), true},
		{"mbox local part case", stmt("actor", `{"mbox":"mailto:Ann@example.com"}`), stmt("actor", `{"mbox":"mailto:ann@example.com"}`), false},
		{"sha1 case", stmt("actor", `{"mbox_sha1sum":"EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"}`), stmt("actor", `{"mbox_sha1sum":"ebd31e95054c018b10727ccffd2ef2ec3a016ee9"}`), true},
		{"agent name", stmt("actor", `{"name":"Ann","mbox":"mailto:a@example.com"}`), stmt(), false},
		{"agent or group", stmt("actor", `{"objectType":"Group","mbox":"mailto:a@example.com"}`), stmt(), false},
		{"registration case", stmt("context", `{"registration":"EC531277-B57B-4C15-8D91-D292C5B2B8F7"}`), stmt("context", `{"registration":"ec531277-b57b-4c15-8d91-d292c5b2b8f7"}`), true},
		{"registration differs", stmt("context", `{"registration":"`+uuid1+`"}`), stmt(), false},
		{"single context activity", stmt("context", `{"contextActivities":{"parent":{"id":"http://example.com/p","definition":{}}}}`), stmt("context", `{"contextActivities":{"parent":[{"id":"http://example.com/p"}]}}`), true},
		{"context activity order", stmt("context", `{"contextActivities":{"other":[{"id":"http://e.com/1"},{"id":"http://e.com/2"}]}}`), stmt("context", `{"contextActivities":{"other":[{"id":"http://e.com/2"},{"id":"http://e.com/1"}]}}`), false},
		{"context language case", stmt("context", `{"language":"en-US"}`), stmt("context", `{"language":"en-us"}`), true},
		{"context language", stmt("context", `{"language":"en"}`), stmt("context", `{"language":"fr"}`), false},
		{"empty context", stmt("context", `{}`), stmt(), true},
		{"extensions as JSON", stmt("result", `{"extensions":{"http://e.com/x":{"a":1,"b":"A","c":[1,2]}}}`), stmt("result", `{"extensions":{"http://e.com/x":{"c":[1.0,20e-1],"b":"\u0041","a":10E-1}}}`), true},
		{"extension value", stmt("result", `{"extensions":{"http://e.com/x":[1,2]}}`), stmt("result", `{"extensions":{"http://e.com/x":[2,1]}}`), false},
		{"extension added", stmt("context", `{"extensions":{"http://e.com/x":1}}`), stmt("context", `{"extensions":{"http://e.com/x":1,"http://e.com/y":1}}`), false},
		{"score", stmt("result", `{"score":{"raw":1}}`), stmt("result", `{"score":{"raw":1.0}}`), true},
		{"score differs", stmt("result", `{"score":{"raw":1}}`), stmt("result", `{"score":{"raw":2}}`), false},
		{"success", stmt("result", `{"success":true}`), stmt("result", `{"success":false}`), false},
		{"response", stmt("result", `{"response":""}`), stmt("result", `{}`), false},
		{"duration precision", stmt("result", `{"duration":"PT1.234S"}`), stmt("result", `{"duration":"PT1.23S"}`), true},
		{"duration spelling", stmt("result", `{"duration":"PT1H"}`), stmt("result", `{"duration":"PT60M"}`), false},
		{"statement ref case", stmt("object", `{"objectType":"StatementRef","id":"`+uuid1+`"}`), stmt("object", `{"objectType":"StatementRef","id":"FD41C918-B88B-4B20-A0A5-A4C32391AAA0"}`), true},
		{"substatement", stmt("object", sub), stmt("object", sub), true},
		{"substatement verb", stmt("object", sub), stmt("object", sub2), false},
	}
	for _, tt := range tests {
		a := mustDecode(t, tt.a, Version200)
		b := mustDecode(t, tt.b, Version200)
		if got := Equivalent(a, b); got != tt.want {
			t.Errorf("%s: Equivalent(%s, %s) = %v, want %v", tt.name, tt.a, tt.b, got, tt.want)
		}
		if got := Equivalent(b, a); got != tt.want {
			t.Errorf("%s: Equivalent is not symmetric", tt.name)
		}
	}
}

func TestRelated(t *testing.T) {
	const (
		ann   = `{"mbox":"mailto:ann@example.com"}`
		bob   = `{"objectType":"Agent","mbox":"mailto:bob@example.com"}`
		team  = `{"objectType":"Group","account":{"homePage":"http://example.com","name":"team"},"member":[{"openid":"http://example.com/cat"}]}`
		sub   = `{"objectType":"SubStatement","actor":{"mbox":"mailto:dan@example.com"},"verb":` + verbJSON + `,"object":` + bob + `,"context":{"instructor":{"mbox":"mailto:eve@example.com"},"contextActivities":{"parent":{"id":"http://example.com/sub-parent"}}}}`
		ctx   = `{"instructor":{"mbox_sha1sum":"EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"},"team":` + team + `,"contextActivities":{"parent":[{"id":"http://example.com/p"}],"grouping":{"id":"http://example.com/g"},"category":[{"id":"http://example.com/c"}],"other":[{"id":"http://example.com/p"}]}}`
		ctx20 = `{"contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:fay@example.com"}}],"contextGroups":[{"objectType":"contextGroup","group":{"objectType":"Group","member":[{"mbox":"mailto:gus@example.com"}]}}]}`
	)
	s := mustDecode(t, stmt("actor", ann, "object", sub, "authority", `{"objectType":"Group","member":[{"account":{"homePage":"http://example.com/oauth","name":"app"}},`+ann+`]}`), Version103)
	if got, want := DirectAgents(s), []string{"mbox:mailto:ann@example.com"}; !slices.Equal(got, want) {
		t.Errorf("DirectAgents = %q, want %q", got, want)
	}
	want := []string{"mbox:mailto:ann@example.com", "account:http://example.com/oauth|app", "mbox:mailto:dan@example.com", "mbox:mailto:bob@example.com", "mbox:mailto:eve@example.com"}
	if got := RelatedAgents(s); !slices.Equal(got, want) {
		t.Errorf("RelatedAgents = %q\nwant %q", got, want)
	}
	if got, want := RelatedActivities(s), []string{"http://example.com/sub-parent"}; !slices.Equal(got, want) {
		t.Errorf("RelatedActivities = %q, want %q", got, want)
	}

	s = mustDecode(t, stmt("object", team, "context", ctx), Version103)
	want = []string{"mbox:mailto:a@example.com", "account:http://example.com|team", "openid:http://example.com/cat"}
	if got := DirectAgents(s); !slices.Equal(got, want) {
		t.Errorf("DirectAgents = %q\nwant %q", got, want)
	}
	want = append(want, "mbox_sha1sum:ebd31e95054c018b10727ccffd2ef2ec3a016ee9")
	if got := RelatedAgents(s); !slices.Equal(got, want) {
		t.Errorf("RelatedAgents = %q\nwant %q", got, want)
	}
	if got, want := RelatedActivities(s), []string{"http://example.com/p", "http://example.com/g", "http://example.com/c"}; !slices.Equal(got, want) {
		t.Errorf("RelatedActivities = %q, want %q", got, want)
	}

	s = mustDecode(t, stmt("context", ctx20), Version200)
	want = []string{"mbox:mailto:a@example.com", "mbox:mailto:fay@example.com", "mbox:mailto:gus@example.com"}
	if got := RelatedAgents(s); !slices.Equal(got, want) {
		t.Errorf("RelatedAgents(2.0) = %q\nwant %q", got, want)
	}
	if got, want := RelatedActivities(s), []string{"http://example.com/activities/a"}; !slices.Equal(got, want) {
		t.Errorf("RelatedActivities = %q, want %q", got, want)
	}
}

func TestVoiding(t *testing.T) {
	v := mustDecode(t, string(readFile(t, "testdata/spec/data-2.3.2-voiding.json")), Version103)
	if id, ok := VoidedID(v); !ok || id != "e05aa883-acaf-40ad-bf54-02c8ce485fb0" || !IsVoiding(v) {
		t.Errorf("VoidedID = %q, %v", id, ok)
	}
	ref := mustDecode(t, string(readFile(t, "testdata/spec/data-2.4.4.3-statementref.json")), Version103)
	if id, ok := VoidedID(ref); ok || IsVoiding(ref) {
		t.Errorf("VoidedID(comment) = %q, %v", id, ok)
	}
}
