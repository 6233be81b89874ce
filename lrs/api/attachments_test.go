package api_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/lrs/api"
)

// TestPostAttachmentRules sends statements with attachments as
// multipart/mixed (Communication §1.5.2) and checks which requests are
// stored and which are refused, naming the part or property; a refused
// request stores nothing.
func TestPostAttachmentRules(t *testing.T) {
	l := newTestLRS(t, api.Config{})
	const (
		payload = "certificate of completion\n"
		sha2    = "d974b8800dcc2b3a3f73e101fcd1a824ed1a39f06b329f2c3541aace8beaf25e" // SHA-256 of payload
		other   = "another payload\n"
	)
	otherSum := sha256.Sum256([]byte(other))
	otherSHA2 := hex.EncodeToString(otherSum[:])
	statement := func(id, sha2 string) string {
		return `{"id":"` + id + `",` + stmt[1:len(stmt)-1] + `,"attachments":[{"usageType":"http://id.tincanapi.com/attachment/certificate-of-completion",` +
			`"display":{"en-US":"certificate"},"contentType":"text/plain","length":26,"sha2":"` + sha2 + `"}]}`
	}
	part := func(headers, body string) string {
		return "\r\n--b\r\nContent-Type: text/plain\r\n" + headers + "\r\n" + body
	}
	hashed := "Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: " + sha2 + "\r\n"
	tests := []struct {
		name       string
		first      string // the first part's Content-Type
		upper      bool   // the statement names the hash in capitals
		parts      []string
		wantStatus int
		wantBody   string
	}{
		{"one attachment", "application/json", false, []string{part(hashed, payload)}, 200, ``},
		{"the hash in capitals in the statement", "application/json", true, []string{part(hashed, payload)}, 200, ``},
		{"no Content-Transfer-Encoding: binary is assumed", "application/json", false, []string{part("X-Experience-API-Hash: "+sha2+"\r\n", payload)}, 200, ``},
		{"binary in capitals", "application/json", false, []string{part("Content-Transfer-Encoding: BINARY\r\nX-Experience-API-Hash: "+sha2+"\r\n", payload)}, 200, ``},
		{"base64", "application/json", false, []string{part("Content-Transfer-Encoding: base64\r\nX-Experience-API-Hash: "+sha2+"\r\n", payload)}, 400, `"property":"multipart[1]","rule":"Content-Transfer-Encoding must be binary, not \"base64\""`},
		{"quoted-printable", "application/json", false, []string{part("Content-Transfer-Encoding: quoted-printable\r\nX-Experience-API-Hash: "+sha2+"\r\n", payload)}, 400, `Content-Transfer-Encoding must be binary`},
		{"no hash", "application/json", false, []string{part("Content-Transfer-Encoding: binary\r\n", payload)}, 400, `"property":"multipart[1]","rule":"has no X-Experience-API-Hash header"`},
		{"wrong hash", "application/json", false, []string{part(hashed, other)}, 400, `does not match the part's content`},
		{"no part for the attachment", "application/json", false, nil, 400, `attachments[0].sha2","rule":"has no fileUrl and no multipart/mixed part`},
		{"a part no attachment declares", "application/json", false, []string{part(hashed, payload), part("X-Experience-API-Hash: "+otherSHA2+"\r\n", other)}, 400, `"property":"attachments","rule":"the multipart/mixed part with X-Experience-API-Hash ` + otherSHA2 + ` is no statement's attachment"`},
		{"statements not JSON", "text/plain", false, []string{part(hashed, payload)}, 400, `"property":"multipart[0]"`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := fmt.Sprintf("8b6e0b5c-9c2a-4c8e-8f8e-3a9b0e6b7c%02d", i)
			hash := sha2
			if tt.upper {
				hash = strings.ToUpper(sha2)
			}
			body := "--b\r\nContent-Type: " + tt.first + "\r\n\r\n" + statement(id, hash) + strings.Join(tt.parts, "") + "\r\n--b--\r\n"
			rec := l.do(t, request{method: "POST", target: "/xapi/statements", cred: l.write, body: body,
				headers: map[string]string{"Content-Type": "multipart/mixed; boundary=b"}})
			if rec.Code != tt.wantStatus || !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Fatalf("POST = %d %s, want %d containing %s", rec.Code, rec.Body, tt.wantStatus, tt.wantBody)
			}
			get := l.do(t, request{method: "GET", target: "/xapi/statements?attachments=true&statementId=" + id, cred: l.reader})
			if stored := get.Code == 200; stored != (tt.wantStatus == 200) {
				t.Errorf("after POST %d, GET = %d", rec.Code, get.Code)
			}
			if get.Code == 200 && !strings.Contains(get.Body.String(), payload) {
				t.Errorf("GET with attachments=true has no payload part:\n%s", get.Body)
			}
		})
	}
}
