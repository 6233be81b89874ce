package sqlstore

import (
	"fmt"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

// The shape of the generated data: learners, activities grouped in
// modules of one course, mixed verbs.
const (
	genLearners   = 1000
	genActivities = 200
	genModuleSize = 10
	genCourse     = "https://example.com/courses/peer-support-training"
)

var genVerbs = []string{"completed", "attempted", "passed", "failed", "experienced", "answered"}

// genStart is the stored time of the first generated statement; each next
// one is stored a millisecond later.
var genStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func genLearner(i int) string  { return fmt.Sprintf("mbox:mailto:learner%d@example.com", i%genLearners) }
func genActivity(i int) string { return fmt.Sprintf("%s/activities/%d", genCourse, i%genActivities) }
func genModule(i int) string {
	return fmt.Sprintf("%s/modules/%d", genCourse, i%genActivities/genModuleSize)
}
func genVerb(i int) string { return "http://adlnet.gov/expapi/verbs/" + genVerbs[i%len(genVerbs)] }

// benchStatements returns n realistic statements numbered from first, as
// the LRS would hand them to the store: JSON of about 1 KB with result and
// context, and the index values the service derives.
func benchStatements(n, first int) []lrs.Statement {
	out := make([]lrs.Statement, n)
	for k := range out {
		i := first + k
		learner := i * 7919 % genLearners // spread, not round-robin with activities
		act := i % genActivities
		stored := genStart.Add(time.Duration(i) * time.Millisecond)
		st := lrs.Statement{
			ID:                fmt.Sprintf("00000000-0000-4000-8000-%012x", i),
			Stored:            stored,
			ActorIFI:          genLearner(learner),
			VerbID:            genVerb(i / 3),
			ObjectType:        "Activity",
			ObjectID:          genActivity(act),
			Registration:      fmt.Sprintf("00000000-0000-4000-9000-%012x", learner),
			DirectAgents:      []string{genLearner(learner)},
			RelatedAgents:     []string{genLearner(learner), "account:https://lrs.example.com|coursekit"},
			RelatedActivities: []string{genActivity(act), genModule(act), genCourse},
		}
		score := (i * 37) % 101
		st.JSON = fmt.Appendf(nil, `{"id":%q,"actor":{"objectType":"Agent","name":"Learner %d","mbox":"mailto:learner%d@example.com"},`+
			`"verb":{"id":%q,"display":{"en-US":%q}},`+
			`"object":{"objectType":"Activity","id":%q,"definition":{"name":{"en-US":"Activity %d"},"description":{"en-US":"A lesson page of the Peer Support Training course, with a short quiz at the end."},"type":"http://adlnet.gov/expapi/activities/lesson"}},`+
			`"result":{"score":{"scaled":%.2f,"raw":%d,"min":0,"max":100},"success":%t,"completion":true,"duration":"PT%dM%dS"},`+
			`"context":{"registration":%q,"contextActivities":{"parent":[{"id":%q,"objectType":"Activity"}],"grouping":[{"id":%q,"objectType":"Activity"}]},"platform":"coursekit","language":"en-US","extensions":{"https://example.com/xapi/extensions/attempt":%d}},`+
			`"timestamp":%q,"stored":%q,"authority":{"objectType":"Agent","account":{"homePage":"https://lrs.example.com","name":"coursekit"}},"version":"1.0.0"}`,
			st.ID, learner, learner, st.VerbID, genVerbs[i/3%len(genVerbs)],
			st.ObjectID, act, float64(score)/100, score, score >= 50, i%60, i%59,
			st.Registration, genCourse, genModule(act), i%5+1,
			stored.Add(-time.Second).Format(time.RFC3339Nano), stored.Format(timeFormat))
		out[k] = st
	}
	return out
}
