package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/lrs/api"
)

// TestCredentialExtension: a credential learns its own scopes, and nothing
// without a valid credential.
func TestCredentialExtension(t *testing.T) {
	l := newTestLRS(t, api.Config{})
	mixed := l.credential(t, "statements/write", "state")
	const path = "/xapi/extensions/coursekit/credential"
	tests := []struct {
		name       string
		cred       string
		version    string
		wantStatus int
		wantScopes []string
	}{
		{"write only", l.write, "", 200, []string{"statements/write"}},
		{"admin", l.Admin, "", 200, []string{"all"}},
		{"two scopes", mixed, "2.0.0", 200, []string{"statements/write", "state"}},
		{"no credential", "", "", 401, nil},
		{"wrong secret", strings.Split(l.write, ":")[0] + ":nope", "", 401, nil},
		{"no version header", l.write, "-", 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := l.do(t, request{method: "GET", target: path, cred: tt.cred, version: tt.version})
			if rec.Code != tt.wantStatus {
				t.Fatalf("GET %s = %d %s, want %d", path, rec.Code, rec.Body, tt.wantStatus)
			}
			if tt.wantStatus != 200 {
				return
			}
			var got struct {
				Key    string   `json:"key"`
				Name   string   `json:"name"`
				Scopes []string `json:"scopes"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got.Key != strings.Split(tt.cred, ":")[0] || got.Name != "test" || strings.Join(got.Scopes, ",") != strings.Join(tt.wantScopes, ",") {
				t.Errorf("GET %s = %+v, want key %s and scopes %v", path, got, strings.Split(tt.cred, ":")[0], tt.wantScopes)
			}
		})
	}
	// Nothing else answers under extensions/.
	if rec := l.do(t, request{method: "GET", target: "/xapi/extensions/coursekit/other", cred: l.Admin}); rec.Code != 404 {
		t.Errorf("GET another extension = %d, want 404", rec.Code)
	}
}
