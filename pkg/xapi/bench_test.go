package xapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// realisticBatch returns a POST body of n statements like a course player
// sends: varied learners, verbs and activities; results with scores and
// durations; contexts with registration, parent and grouping activities,
// a cmi5-style category and extensions; a few interactions and voids.
func realisticBatch(n int) []byte {
	verbs := []string{"initialized", "experienced", "answered", "completed", "passed", "failed", "terminated"}
	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		learner, activity, verb := i*7919%1000, i*104729%200, verbs[i%len(verbs)]
		fmt.Fprintf(&b, `{"id":"%08x-7d2c-4b6a-9c1e-%012x",`, i, i*31)
		fmt.Fprintf(&b, `"actor":{"objectType":"Agent","name":"Learner %d","account":{"homePage":"https://lms.example.com","name":"learner-%d"}},`, learner, learner)
		fmt.Fprintf(&b, `"verb":{"id":"http://adlnet.gov/expapi/verbs/%s","display":{"en-US":"%s"}},`, verb, verb)
		fmt.Fprintf(&b, `"object":{"objectType":"Activity","id":"https://courses.example.com/peer-support/lesson-%d","definition":{"name":{"en-US":"Lesson %d","fr":"Leçon %d"},"description":{"en-US":"Listening without fixing: lesson %d of the peer support course"},"type":"http://adlnet.gov/expapi/activities/lesson"`, activity, activity, activity, activity)
		if verb == "answered" {
			b.WriteString(`,"interactionType":"choice","correctResponsesPattern":["b"],"choices":[{"id":"a","description":{"en-US":"Offer advice"}},{"id":"b","description":{"en-US":"Reflect feelings"}},{"id":"c","description":{"en-US":"Change the subject"}}]`)
		}
		b.WriteString(`}},`)
		if verb == "answered" || verb == "passed" || verb == "failed" || verb == "completed" {
			fmt.Fprintf(&b, `"result":{"score":{"scaled":0.%02d,"raw":%d,"min":0,"max":100},"success":%v,"completion":true,"duration":"PT%dM%d.%02dS","extensions":{"https://w3id.org/xapi/cmi5/result/extensions/progress":%d}},`, i%100, i%100, i%3 != 0, i%60, i%60, i%100, i%100)
		}
		fmt.Fprintf(&b, `"context":{"registration":"%08x-1111-4222-8333-444455556666","platform":"coursekit","language":"en-US",`, learner)
		fmt.Fprintf(&b, `"contextActivities":{"parent":[{"id":"https://courses.example.com/peer-support/module-%d","objectType":"Activity"}],"grouping":[{"id":"https://courses.example.com/peer-support"}],"category":[{"id":"https://w3id.org/xapi/cmi5/context/categories/moveon"}]},`, activity/10)
		fmt.Fprintf(&b, `"extensions":{"https://w3id.org/xapi/cmi5/context/extensions/sessionid":"session-%d","https://coursekit.dev/xapi/attempt":%d}},`, i/10, i%5+1)
		fmt.Fprintf(&b, `"timestamp":"2024-03-01T10:%02d:%02d.%03d+01:00"}`, i%60, (i*7)%60, i%1000)
	}
	b.WriteByte(']')
	return []byte(b.String())
}

// BenchmarkDecodeBatch measures decoding and validating a POST of 100
// statements, the LRS's ingest hot path. ns/stmt is per statement.
func BenchmarkDecodeBatch(b *testing.B) {
	body := realisticBatch(100)
	if _, err := DecodeStatements(body, Version103); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeStatements(body, Version103); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/stmt")
}

// BenchmarkDecodePrepareBatch adds what the LRS does next for each
// statement: Prepare (id, stored, authority, version) and the index keys.
func BenchmarkDecodePrepareBatch(b *testing.B) {
	body := realisticBatch(100)
	stored := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		stmts, err := DecodeStatements(body, Version103)
		if err != nil {
			b.Fatal(err)
		}
		for i := range stmts {
			if err := stmts[i].Prepare(uuid1, stored, testAuthority, Version103); err != nil {
				b.Fatal(err)
			}
			stmts[i].Actor.IFI()
			RelatedAgents(&stmts[i])
			RelatedActivities(&stmts[i])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/stmt")
}

// BenchmarkStdlibUnmarshalBatch is a yardstick: encoding/json decoding the
// same batch into generic maps, with no validation at all.
func BenchmarkStdlibUnmarshalBatch(b *testing.B) {
	body := realisticBatch(100)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var v []map[string]any
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/stmt")
}

// BenchmarkFormatIDs measures the GET path for format=ids, per statement.
func BenchmarkFormatIDs(b *testing.B) {
	stmts, err := DecodeStatements(realisticBatch(100), Version103)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := range stmts {
			if _, err := FormatIDs(stmts[i].Raw); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/stmt")
}
