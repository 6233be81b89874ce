package sqlstore

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/lrs"
)

// BenchmarkInsertStatementsDefined is BenchmarkInsertStatements with every
// statement sent by a credential with the define scope, so carrying what
// the service derives from its JSON: the object's definition and the
// actor's name. In steady state the definitions and names are already
// stored, as here after the first batches: the cost is reading them back.
func BenchmarkInsertStatementsDefined(b *testing.B) {
	for _, db := range benchDatabases {
		b.Run(db.name, func(b *testing.B) {
			s := mustOpen(b, db.dsn(b))
			runWriters(b, max(b.N, benchBatch), func(ctx context.Context, batch []lrs.Statement) error {
				for i := range batch {
					defineBench(&batch[i])
				}
				return s.InsertStatements(ctx, batch, bytes.Equal)
			})
		})
	}
}

// defineBench sets what lrs would learn from a benchStatements statement.
func defineBench(st *lrs.Statement) {
	act := strings.TrimPrefix(st.ObjectID, genCourse+"/activities/")
	learner := strings.TrimPrefix(strings.TrimSuffix(st.ActorIFI, "@example.com"), "mbox:mailto:learner")
	st.Definitions = []lrs.Definition{{ActivityID: st.ObjectID, JSON: fmt.Appendf(nil,
		`{"name":{"en-US":"Activity %s"},"description":{"en-US":"A lesson page of the Peer Support Training course, with a short quiz at the end."},"type":"http://adlnet.gov/expapi/activities/lesson"}`, act)}}
	if _, err := strconv.Atoi(learner); err == nil {
		st.AgentNames = []lrs.AgentName{{IFI: st.ActorIFI, Name: "Learner " + learner}}
	}
}

// TestDefineBench checks that the benchmark's statements do teach the
// store, so that it measures the work it claims to.
func TestDefineBench(t *testing.T) {
	s := mustOpenSQLite(t)
	batch := benchStatements(3, 0)
	for i := range batch {
		defineBench(&batch[i])
	}
	if err := s.InsertStatements(context.Background(), batch, bytes.Equal); err != nil {
		t.Fatal(err)
	}
	def, _, err := s.ActivityDefinition(context.Background(), batch[1].ObjectID)
	if err != nil || !strings.Contains(string(def), `"Activity 1"`) {
		t.Errorf("ActivityDefinition = %s, %v", def, err)
	}
	names, err := s.AgentNames(context.Background(), batch[1].ActorIFI)
	if err != nil || len(names) != 1 {
		t.Errorf("AgentNames = %q, %v", names, err)
	}
}
