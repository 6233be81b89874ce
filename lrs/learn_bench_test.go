package lrs

import (
	"testing"

	"github.com/coursekit/coursekit/pkg/xapi"
)

// BenchmarkLearn measures what StoreStatements adds per statement for a
// credential with the define scope: reading the definition and names out
// of a decoded statement.
func BenchmarkLearn(b *testing.B) {
	raw := []byte(`{"actor":{"objectType":"Agent","name":"Learner 7","account":{"homePage":"https://lms.example.org","name":"learner-0007"}},
	"verb":{"id":"http://adlnet.gov/expapi/verbs/answered","display":{"en-GB":"answered"}},
	"object":{"objectType":"Activity","id":"https://courses.coursekit.example/peer-support-training/activities/a007","definition":{"name":{"en-GB":"Activity 7"},"type":"http://adlnet.gov/expapi/activities/lesson"}},
	"context":{"contextActivities":{"parent":[{"id":"https://courses.coursekit.example/peer-support-training"}]}}}`)
	st, err := xapi.DecodeStatement(raw, xapi.Version103)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		learn(st)
	}
}
