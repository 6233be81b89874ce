package xapi

import (
	"strings"
	"testing"
	"time"
)

var (
	testStored    = time.Date(2024, 3, 1, 10, 20, 30, 123456789, time.FixedZone("CET", 3600))
	testAuthority = Agent{ObjectType: "Agent", Name: "LRS \"admin\"", Account: &Account{HomePage: "https://lrs.example.com", Name: "key-1"}}
)

const authorityJSON = `{"objectType":"Agent","name":"LRS \"admin\"","account":{"homePage":"https://lrs.example.com","name":"key-1"}}`

func TestPrepare(t *testing.T) {
	const id = "0c5e5a5a-0000-4000-8000-000000000001"
	// lrsSet is what Prepare writes after "context": timestamp, stored,
	// authority and version.
	lrsSet := func(timestamp, version string) string {
		return `"timestamp":"` + timestamp + `","stored":"2024-03-01T09:20:30.123Z","authority":` + authorityJSON + `,"version":"` + version + `"`
	}
	const minimal = `"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"}`
	tests := []struct {
		name string
		in   string
		v    Version
		want string
	}{{
		name: "minimal",
		in:   `{` + minimal + `}`,
		v:    Version103,
		want: `{"id":"` + id + `",` + minimal + `,` + lrsSet("2024-03-01T09:20:30.123Z", "1.0.0") + "}",
	}, {
		name: "2.0 default version",
		in:   `{` + minimal + `}`,
		v:    Version200,
		want: `{"id":"` + id + `",` + minimal + `,` + lrsSet("2024-03-01T09:20:30.123Z", "2.0.0") + "}",
	}, {
		name: "kept and replaced",
		in: `{ "version" : "1.0.3", "stored":"2000-01-01T00:00:00Z","authority":{"mbox":"mailto:x@example.com"},` +
			`"id":"FD41C918-B88B-4B20-A0A5-A4C32391AAA0", "timestamp":"2013-05-18T05:32:34.804Z","attachments":[],` +
			"\n\t\"\\u0061ctor\":{ \"mbox\" : \"mailto:a@example.com\" },\"verb\":{\"id\":\"http://example.com/v\",\"display\":{\"en-US\":\"d\\u00eed\",\"en-GB\":\"did\"}},\"object\":{\"id\":\"http://example.com/a\"}}",
		v: Version103,
		want: `{"id":"FD41C918-B88B-4B20-A0A5-A4C32391AAA0","actor":{ "mbox" : "mailto:a@example.com" },"verb":{"id":"http://example.com/v","display":{"en-US":"d\u00eed","en-GB":"did"}},"object":{"id":"http://example.com/a"},` +
			lrsSet("2013-05-18T05:32:34.804Z", "1.0.3") + `,"attachments":[]}`,
	}, {
		name: "timestamp to UTC",
		in:   stmt("timestamp", `"2013-05-18T07:32:34.8+02:00"`, "result", `{"success":true}`),
		v:    Version200,
		want: `{"id":"` + id + `",` + stmt()[1:len(stmt())-1] + `,"result":{"success":true},` + lrsSet("2013-05-18T05:32:34.800Z", "2.0.0") + "}",
	}, {
		name: "timestamp in RFC 3339 form",
		in:   stmt("timestamp", `"20130518T053234,8Z"`),
		v:    Version103,
		want: `{"id":"` + id + `",` + stmt()[1:len(stmt())-1] + `,` + lrsSet("2013-05-18T05:32:34.800Z", "1.0.0") + "}",
	}, {
		name: "context activities as arrays",
		in: `{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"context":{"contextActivities":{"parent": {"id":"http://example.com/p"} ,"grouping":[{"id":"http://example.com/g"}],"category":{"id":"http://example.com/c"}}},` +
			`"object":{"objectType":"SubStatement","actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"},"context":{"contextActivities":{"parent":{"id":"http://example.com/sp"},"other":[]}}}}`,
		v: Version103,
		want: `{"id":"` + id + `","actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"objectType":"SubStatement","actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"},` +
			`"context":{"contextActivities":{"parent":[{"id":"http://example.com/sp"}],"other":[]}}},"context":{"contextActivities":{"parent": [{"id":"http://example.com/p"}] ,"grouping":[{"id":"http://example.com/g"}],"category":[{"id":"http://example.com/c"}]}},` +
			lrsSet("2024-03-01T09:20:30.123Z", "1.0.0") + "}",
	}}
	for _, tt := range tests {
		s := mustDecode(t, tt.in, tt.v)
		orig := *s
		if err := s.Prepare(id, testStored, testAuthority, tt.v); err != nil {
			t.Fatalf("%s: Prepare = %v", tt.name, err)
		}
		if string(s.Raw) != tt.want {
			t.Errorf("%s: Prepare wrote\n%s\nwant\n%s", tt.name, s.Raw, tt.want)
		}
		// The stored JSON is a valid statement, equivalent to what was sent,
		// and the model says what the JSON says.
		back := mustDecode(t, string(s.Raw), Version200)
		if !Equivalent(back, &orig) || !Equivalent(back, s) {
			t.Errorf("%s: prepared statement is not equivalent to the original", tt.name)
		}
		if back.ID != s.ID || !back.Stored.Equal(s.Stored) || !back.Timestamp.Equal(s.Timestamp) ||
			back.Version != s.Version || back.Authority.IFI() != s.Authority.IFI() {
			t.Errorf("%s: model and JSON disagree: %+v vs %+v", tt.name, back, s)
		}
	}
}

// TestPreparePrecision checks that numbers and strings the LRS does not own
// keep their exact text.
func TestPreparePrecision(t *testing.T) {
	const (
		scaled = `0.1000000000000000055511151231257827`
		ext    = `{"http://e.com/big":123456789012345678901234567890,"http://e.com/exp":1.50E+300,"http://e.com/s":"\u00e9\/\ud83d\ude00"}`
	)
	in := `{"result":{"score":{"scaled":` + scaled + `,"raw":-0.0},"extensions":` + ext + `},"object":` + activityJSON + `,"verb":` + verbJSON + `,"actor":` + agentJSON + `}`
	s := mustDecode(t, in, Version103)
	if err := s.Prepare(uuid1, testStored, testAuthority, Version103); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"scaled":` + scaled, `"raw":-0.0`, `"extensions":` + ext} {
		if !strings.Contains(string(s.Raw), want) {
			t.Errorf("Prepare lost %s:\n%s", want, s.Raw)
		}
	}
	if !strings.HasPrefix(string(s.Raw), `{"id":"`+uuid1+`","actor":`) {
		t.Errorf("Prepare did not write members in the order of Data §2.4: %s", s.Raw)
	}
}

func TestPrepareErrors(t *testing.T) {
	s := mustDecode(t, stmt(), Version103)
	if err := s.Prepare("not-a-uuid", testStored, testAuthority, Version103); err == nil {
		t.Error("Prepare accepted an invalid id")
	}
	if err := s.Prepare(uuid1, testStored, Agent{Name: "nobody"}, Version103); err == nil {
		t.Error("Prepare accepted an authority without identifier")
	}
	var empty Statement
	if err := empty.Prepare(uuid1, testStored, testAuthority, Version103); err == nil {
		t.Error("Prepare accepted a statement that was not decoded")
	}
	s.Raw = []byte(strings.Replace(string(s.Raw), "a@", "b@", 1))
	if err := s.Prepare(uuid1, testStored, testAuthority, Version103); err == nil {
		t.Error("Prepare accepted a statement whose Raw changed")
	}
	s = mustDecode(t, stmt(), Version103)
	if err := s.Prepare(uuid1, testStored, testAuthority, Version103); err != nil {
		t.Fatal(err)
	}
	if err := s.Prepare(uuid1, testStored, testAuthority, Version103); err == nil {
		t.Error("Prepare prepared a statement twice")
	}
}

func TestAgentMarshalJSON(t *testing.T) {
	g := Agent{ObjectType: "Group", Member: []Agent{
		{Account: &Account{HomePage: "http://example.com/oauth", Name: "app"}},
		{Mbox: "mailto:bob@example.com", Name: "Bob\n"},
	}}
	b, err := g.MarshalJSON()
	want := `{"objectType":"Group","member":[{"account":{"homePage":"http://example.com/oauth","name":"app"}},{"name":"Bob\n","mbox":"mailto:bob@example.com"}]}`
	if err != nil || string(b) != want {
		t.Errorf("MarshalJSON = %s, %v; want %s", b, err, want)
	}
	back, err := ParseAgent(b, Version103)
	if err == nil {
		t.Errorf("ParseAgent(anonymous group) = %+v, want an error", back)
	}
}
