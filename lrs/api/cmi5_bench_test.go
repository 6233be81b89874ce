package api_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/coursekit/coursekit/lrs/api"
)

// BenchmarkLaunch measures what an AU's start costs the LRS, on SQLite
// without the network: POST /cmi5/launch alone (registration,
// LMS.LaunchData, the launched statement, the session), and followed by
// the fetch that mints the token (an argon2id hash, and the transaction
// that spends the code and stores the token).
func BenchmarkLaunch(b *testing.B) {
	for _, fetch := range []bool{false, true} {
		name := map[bool]string{false: "launch", true: "launch+fetch"}[fetch]
		b.Run(name, func(b *testing.B) {
			l := newLaunchLRS(b, api.Config{})
			t := &testing.T{} // for l.do, which only marks itself a helper
			body := launchBody("")
			for b.Loop() {
				rec := l.do(t, request{method: "POST", target: "/cmi5/launch", cred: l.Admin, body: body, version: "-"})
				if rec.Code != 201 {
					b.Fatalf("launch = %d %s", rec.Code, rec.Body)
				}
				if !fetch {
					continue
				}
				var got struct{ FetchURL string }
				if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
					b.Fatal(err)
				}
				u, _ := url.Parse(got.FetchURL)
				if rec := l.do(t, request{method: "POST", target: u.Path, version: "-"}); rec.Code != 200 {
					b.Fatalf("fetch = %d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
