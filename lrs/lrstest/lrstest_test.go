package lrstest_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/lrs/lrstest"
)

// TestNewServer: the options decide which resources the server has, and
// the admin credential has scope all.
func TestNewServer(t *testing.T) {
	state := "xapi/activities/state?" + url.Values{
		"activityId": {"https://example.org/a"}, "agent": {`{"mbox":"mailto:a@example.org"}`},
	}.Encode()
	tests := []struct {
		name string
		opts []lrstest.Option
		path string
		want int
	}{
		{"statements", nil, "xapi/statements", http.StatusOK},
		{"no documents", nil, state, http.StatusNotFound},
		{"documents", []lrstest.Option{lrstest.Documents()}, state, http.StatusOK},
		{"launcher", []lrstest.Option{lrstest.Launcher()}, state, http.StatusOK},
		{"no reports", nil, "api/reports/courses", http.StatusNotFound},
		{"store reports", []lrstest.Option{lrstest.StoreReports()}, "api/reports/courses", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := lrstest.NewServer(t, tt.opts...)
			k, sec, _ := strings.Cut(s.Admin, ":")
			cred, err := s.Credentials.Authenticate(context.Background(), k, sec)
			if err != nil || strings.Join(cred.Scopes, ",") != "all" {
				t.Fatalf("Authenticate(admin) = %+v, %v; want scope all", cred, err)
			}
			req, _ := http.NewRequest(http.MethodGet, s.URL+"/"+tt.path, nil)
			req.SetBasicAuth(k, sec)
			req.Header.Set("X-Experience-API-Version", "2.0.0")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("GET %s = %d, want %d", tt.path, resp.StatusCode, tt.want)
			}
		})
	}
}
