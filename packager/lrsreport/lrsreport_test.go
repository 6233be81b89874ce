package lrsreport_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/lrs/lrstest"
	"github.com/coursekit/coursekit/packager/lrsreport"
)

func TestParse(t *testing.T) {
	tests := []struct {
		endpoint, credential string
		want                 lrsreport.Target
		wantErr              string
	}{
		{"https://lrs.example.org/xapi", "k1:s3cr3t", lrsreport.Target{Endpoint: "https://lrs.example.org/xapi/", Key: "k1", Secret: "s3cr3t"}, ""},
		{"http://127.0.0.1:8080/xapi/", "k:a:b", lrsreport.Target{Endpoint: "http://127.0.0.1:8080/xapi/", Key: "k", Secret: "a:b"}, ""},
		{"lrs.example.org/xapi", "k:s", lrsreport.Target{}, "write the LRS's xAPI base URL"},
		{"ftp://lrs.example.org/xapi", "k:s", lrsreport.Target{}, "write the LRS's xAPI base URL"},
		{"https://k:s@lrs.example.org/xapi", "k:s", lrsreport.Target{}, "not in the URL"},
		{"https://lrs.example.org/xapi?x=1", "k:s", lrsreport.Target{}, "no query"},
		{"https://lrs.example.org/xapi", "k", lrsreport.Target{}, "write KEY:SECRET"},
		{"https://lrs.example.org/xapi", ":s", lrsreport.Target{}, "write KEY:SECRET"},
		{"https://lrs.example.org/xapi", "k:", lrsreport.Target{}, "write KEY:SECRET"},
		{"https://lrs.example.org/xapi", "k:s s", lrsreport.Target{}, "space or control"},
	}
	for _, tt := range tests {
		got, err := lrsreport.Parse(tt.endpoint, tt.credential)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Parse(%q, %q) = %v, want an error containing %q", tt.endpoint, tt.credential, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q, %q) = %+v, %v; want %+v", tt.endpoint, tt.credential, got, err, tt.want)
		}
	}
	tg, _ := lrsreport.Parse("https://lrs.example.org/xapi/", "key:secret")
	if r := tg.Runtime(); r.Endpoint != "https://lrs.example.org/xapi/" || r.Auth != "Basic a2V5OnNlY3JldA==" {
		t.Errorf("Runtime() = %+v", r)
	}
	for endpoint, want := range map[string]bool{
		"https://lrs.example.org/xapi/": false, "http://lrs.example.org/xapi/": true,
		"http://127.0.0.1:8080/xapi/": false, "http://localhost/xapi/": false, "http://[::1]/xapi/": false,
	} {
		if got := (lrsreport.Target{Endpoint: endpoint}).Insecure(); got != want {
			t.Errorf("Insecure(%s) = %v, want %v", endpoint, got, want)
		}
	}
}

// coursekitLRS runs the real LRS on SQLite and returns its xAPI endpoint
// and a function that makes credentials.
func coursekitLRS(t *testing.T) (string, func(scopes ...string) string) {
	t.Helper()
	s := lrstest.NewServer(t)
	return s.Endpoint(), func(scopes ...string) string { return s.Credential(t, "test", scopes...) }
}

func TestCheckOnCoursekit(t *testing.T) {
	endpoint, credential := coursekitLRS(t)
	tests := []struct {
		name    string
		cred    string
		wantErr error
		want    string // in the error
	}{
		{"write only", credential("statements/write"), nil, ""},
		{"write and state", credential("statements/write", "state"), lrsreport.ErrTooPowerful, "statements/write,state"},
		{"read mine", credential("statements/write", "statements/read/mine"), lrsreport.ErrTooPowerful, "statements/read/mine"},
		{"admin", credential("all"), lrsreport.ErrTooPowerful, "its scopes are all"},
		{"wrong secret", strings.Split(credential("statements/write"), ":")[0] + ":nope", lrsreport.ErrRejected, "check the key and secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg, err := lrsreport.Parse(endpoint, tt.cred)
			if err != nil {
				t.Fatal(err)
			}
			v, err := lrsreport.Check(context.Background(), http.DefaultClient, tg)
			if tt.wantErr == nil {
				if err != nil || !v.Verified || v.Unchecked != "" {
					t.Errorf("Check = %+v, %v; want verified", v, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check = %+v, %v; want %v containing %q", v, err, tt.wantErr, tt.want)
			}
		})
	}
}

// TestCheckOnOtherLRSs: an LRS without coursekit's extension is asked to
// read one statement.
func TestCheckOnOtherLRSs(t *testing.T) {
	tests := []struct {
		name          string
		readStatus    int
		wantErr       error
		wantUnchecked string
	}{
		{"can read", 200, lrsreport.ErrTooPowerful, ""},
		{"cannot read", 403, nil, "does not say what else it may do"},
		{"rejected", 401, lrsreport.ErrRejected, ""},
		{"odd answer", 500, nil, "answered 500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var paths []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				paths = append(paths, r.URL.RequestURI())
				if r.Header.Get("X-Experience-API-Version") == "" || r.Header.Get("Authorization") != "Basic azpz" {
					w.WriteHeader(400)
					return
				}
				if r.URL.Path == "/lrs/statements" {
					w.WriteHeader(tt.readStatus)
					return
				}
				http.NotFound(w, r)
			}))
			defer srv.Close()
			tg, _ := lrsreport.Parse(srv.URL+"/lrs", "k:s")
			v, err := lrsreport.Check(context.Background(), srv.Client(), tg)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Check = %+v, %v; want %v", v, err, tt.wantErr)
			}
			if !strings.Contains(v.Unchecked, tt.wantUnchecked) || v.Verified {
				t.Errorf("Check = %+v; want unchecked containing %q", v, tt.wantUnchecked)
			}
			if want := []string{"/lrs/extensions/coursekit/credential", "/lrs/statements?limit=1"}; strings.Join(paths, " ") != strings.Join(want, " ") {
				t.Errorf("asked %v, want %v", paths, want)
			}
		})
	}
	// Unreachable: the build goes on, unchecked.
	tg, _ := lrsreport.Parse("http://127.0.0.1:1/xapi/", "k:s")
	if v, err := lrsreport.Check(context.Background(), http.DefaultClient, tg); err != nil || !strings.Contains(v.Unchecked, "could not reach") {
		t.Errorf("Check(unreachable) = %+v, %v", v, err)
	}
}
