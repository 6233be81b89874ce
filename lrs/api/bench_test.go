package api_test

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/coursekit/coursekit/lrs/api"
)

// BenchmarkPostBatch measures POST /xapi/statements with batches of 100
// through the handler, validation and the SQLite store, from parallel
// clients: the ingest hot path without the network.
func BenchmarkPostBatch(b *testing.B) {
	l := newTestLRS(&testing.T{}, api.Config{})
	key, secret, _ := strings.Cut(l.write, ":")
	var n atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			var body bytes.Buffer
			body.WriteByte('[')
			base := n.Add(100)
			for i := range 100 {
				if i > 0 {
					body.WriteByte(',')
				}
				fmt.Fprintf(&body, `{"actor":{"account":{"homePage":"https://lms.example.org","name":"learner-%d"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/answered","display":{"en-GB":"answered"}},"object":{"id":"https://courses.coursekit.example/peer-support-training/q/%d","definition":{"name":{"en-GB":"Question"}}},"result":{"score":{"scaled":0.8,"raw":80,"min":0,"max":100},"success":true,"duration":"PT12S"},"context":{"registration":"9a2a8d5c-65ab-4b1e-9b0c-3c6a3f4b2a11","contextActivities":{"parent":[{"id":"https://courses.coursekit.example/peer-support-training"}]}}}`, base+int64(i), i%200)
			}
			body.WriteByte(']')
			req := httptest.NewRequest("POST", "/xapi/statements", &body)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Experience-API-Version", "1.0.3")
			req.SetBasicAuth(key, secret)
			rec := httptest.NewRecorder()
			l.Handler.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Errorf("POST = %d %s", rec.Code, rec.Body)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "statements/s")
}
