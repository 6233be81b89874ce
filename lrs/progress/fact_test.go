package progress

import (
	"reflect"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// TestFactsDecode checks what Facts reads of statements in the forms a
// valid statement may take, against what xapi's strict decoding reads.
func TestFactsDecode(t *testing.T) {
	m := NewMatcher(testCourses())
	stored := time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, json string
		want       *Fact // nil: no fact
	}{
		{"answer with result", `{"actor":{"mbox":"mailto:Ann@Example.ORG","name":"Ann"},
			"verb":{"id":"http://adlnet.gov/expapi/verbs/answered"},
			"object":{"id":"` + testCourse + `/interactions/q1"},
			"result":{"success":false,"response":"a[,]b","duration":"PT20S","score":{"scaled":0.25}},
			"context":{"registration":"1111AAAA-1111-4111-8111-111111111111","team":{"objectType":"Group","name":"T","account":{"homePage":"https://lms","name":"t"}}},
			"timestamp":"2025-03-01T10:00:00.1234567+01:00"}`,
			&Fact{Kind: FactAnswer, Learner: "mbox:mailto:Ann@example.org", Name: "Ann", Question: "q1", Response: "a[,]b",
				Success: ptr(false), Score: ptr(0.25), Duration: 20 * time.Second, Registration: "1111aaaa-1111-4111-8111-111111111111",
				GroupName: "T", GroupIFI: "account:https://lms|t", Time: time.Date(2025, 3, 1, 9, 0, 0, 123456000, time.UTC)}},
		{"xAPI 1.0 single parent activity, basic timestamp", `{"actor":{"mbox_sha1sum":"ABCDEF0123456789ABCDEF0123456789ABCDEF01"},
			"verb":{"id":"http://adlnet.gov/expapi/verbs/initialized"},
			"object":{"objectType":"Activity","id":"https://lms.example.org/au/7"},
			"context":{"contextActivities":{"parent":{"id":"` + testCourse + `"}}},
			"timestamp":"20250301T120000Z"}`,
			&Fact{Kind: FactStart, Learner: "mbox_sha1sum:abcdef0123456789abcdef0123456789abcdef01", Time: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}},
		{"grouping, no timestamp: stored time", `{"actor":{"openid":"https://id.example.org/x"},
			"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},
			"object":{"id":"https://lms.example.org/au/7"},
			"context":{"contextActivities":{"grouping":[{"id":"https://other.example.org"},{"id":"` + testCourse + `"}]}}}`,
			&Fact{Kind: FactPassed, Learner: "openid:https://id.example.org/x", Time: stored}},
		{"lesson outcome counts as viewing", `{"actor":{"account":{"homePage":"https://lms","name":"b"}},
			"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"` + testCourse + `/lessons/l2"},"timestamp":"2025-03-01T09:00:00Z"}`,
			&Fact{Kind: FactOther, Learner: "account:https://lms|b", Lesson: "l2", Time: t0}},
		{"an agent as object", `{"actor":{"mbox":"mailto:a@b"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},
			"object":{"objectType":"Agent","mbox":"mailto:c@d"},"context":{"contextActivities":{"parent":[{"id":"` + testCourse + `"}]}}}`, nil},
		{"another course", `{"actor":{"mbox":"mailto:a@b"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},
			"object":{"id":"https://example.org/courses/other/lessons/l1"}}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := lrs.Statement{ID: "s1", Seq: 7, JSON: []byte(tc.json), Stored: stored, ActorIFI: "x", AuthorityIFI: "account:https://lrs|k"}
			got, err := m.Facts(st)
			if err != nil {
				t.Fatalf("Facts = %v", err)
			}
			if tc.want == nil {
				if len(got) != 0 {
					t.Errorf("Facts = %+v, want none", got)
				}
				return
			}
			want := *tc.want
			want.StatementID, want.Seq, want.Course, want.Authority = "s1", 7, testCourse, "account:https://lrs|k"
			if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
				t.Errorf("Facts =\n%+v, want\n%+v", got, want)
			}
			// The strict decoder reads the same learner, registration and time.
			x, err := xapi.DecodeStatement([]byte(tc.json), xapi.Version103)
			if err != nil {
				t.Fatalf("DecodeStatement = %v", err)
			}
			if x.Actor.IFI() != got[0].Learner {
				t.Errorf("learner %q, strict decoding gives %q", got[0].Learner, x.Actor.IFI())
			}
			if x.Context != nil && x.Context.Registration != got[0].Registration {
				t.Errorf("registration %q, strict decoding gives %q", got[0].Registration, x.Context.Registration)
			}
			if !x.Timestamp.IsZero() && !x.Timestamp.Truncate(time.Microsecond).Equal(got[0].Time) {
				t.Errorf("time %v, strict decoding gives %v", got[0].Time, x.Timestamp)
			}
		})
	}
}

// BenchmarkFacts reads the facts of a player's statement of about 1 KB, as
// the worker does for every statement stored.
func BenchmarkFacts(b *testing.B) {
	m := NewMatcher(testCourses())
	st := lrs.Statement{ID: "s", Seq: 1, ActorIFI: "account:https://lms.example.org|learner-0001", JSON: []byte(`{"id":"9d3f1c2e-3c41-4b7e-9a8e-0f6b1a2c3d4e",` +
		`"actor":{"objectType":"Agent","name":"Learner 1","account":{"homePage":"https://lms.example.org","name":"learner-0001"}},` +
		`"verb":{"id":"http://adlnet.gov/expapi/verbs/answered","display":{"en-GB":"answered"}},` +
		`"object":{"objectType":"Activity","id":"` + testCourse + `/interactions/q1","definition":{"name":{"en-GB":"Question one"},"description":{"en-GB":"Which of these is active listening?"},"type":"http://adlnet.gov/expapi/activities/cmi.interaction","interactionType":"choice","correctResponsesPattern":["b"],"choices":[{"id":"a","description":{"en-GB":"Waiting to talk"}},{"id":"b","description":{"en-GB":"Reflecting back"}}]}},` +
		`"result":{"score":{"scaled":0.8,"raw":80,"min":0,"max":100},"success":true,"completion":true,"response":"b","duration":"PT1M20S"},` +
		`"context":{"registration":"1111aaaa-1111-4111-8111-111111111111","platform":"coursekit","language":"en-GB","contextActivities":{"parent":[{"id":"` + testCourse + `"}],"grouping":[{"id":"` + testCourse + `/sections/s1"}]},"extensions":{"https://w3id.org/xapi/cmi5/context/extensions/sessionid":"e3c1"}},` +
		`"timestamp":"2026-11-23T10:00:00.000Z","stored":"2026-11-23T10:00:00.100Z","authority":{"objectType":"Agent","account":{"homePage":"https://lrs.example.com","name":"coursekit"}},"version":"1.0.0"}`)}
	b.SetBytes(int64(len(st.JSON)))
	for b.Loop() {
		if fs, err := m.Facts(st); err != nil || len(fs) != 1 {
			b.Fatalf("Facts = %v, %v", fs, err)
		}
	}
}
