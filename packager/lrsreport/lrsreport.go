// Package lrsreport configures SCORM packages that also send xAPI
// statements to an LRS: it reads the endpoint and credential a build bakes
// into the package, and checks that the credential can do no more than
// write statements.
//
// The credential is in the package for anyone who opens it to read, so a
// credential that could also read statements would hand every learner's
// records to every learner; one that could write State or profiles would
// let anyone overwrite them. Only statements/write is acceptable, and the
// statements it writes carry it as their authority, so they can be told
// apart and, if the credential leaks, revoked and voided.
package lrsreport

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/coursekit/coursekit/packager/runtime"
)

// Target is an LRS and the credential a package uses with it.
type Target struct {
	// Endpoint is the xAPI base URL, ending in "/".
	Endpoint    string
	Key, Secret string
}

// Parse reads an endpoint (an absolute http or https URL, the xAPI base,
// such as https://lrs.example.org/xapi/) and a credential written
// KEY:SECRET, as coursekit credentials create prints it.
func Parse(endpoint, credential string) (Target, error) {
	u, err := url.Parse(endpoint)
	switch {
	case err != nil:
		return Target{}, fmt.Errorf("--lrs-endpoint %q: %w", endpoint, err)
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		return Target{}, fmt.Errorf("--lrs-endpoint %q: write the LRS's xAPI base URL, such as https://lrs.example.org/xapi/", endpoint)
	case u.User != nil:
		return Target{}, fmt.Errorf("--lrs-endpoint %q: put the credential in --lrs-credential, not in the URL", endpoint)
	case u.RawQuery != "" || u.Fragment != "":
		return Target{}, fmt.Errorf("--lrs-endpoint %q: the xAPI base URL has no query or fragment", endpoint)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	key, secret, ok := strings.Cut(credential, ":")
	if !ok || key == "" || secret == "" {
		return Target{}, errors.New("--lrs-credential: write KEY:SECRET, as coursekit credentials create prints it")
	}
	if strings.ContainsFunc(credential, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return Target{}, errors.New("--lrs-credential: the credential contains a space or control character; copy it exactly")
	}
	return Target{Endpoint: u.String(), Key: key, Secret: secret}, nil
}

// Runtime is the target as the player needs it.
func (t Target) Runtime() *runtime.LRS {
	return &runtime.LRS{Endpoint: t.Endpoint, Auth: "Basic " + base64.StdEncoding.EncodeToString([]byte(t.Key+":"+t.Secret))}
}

// Insecure reports whether the credential would travel unencrypted to
// another machine: plain http to a host that is not the loopback.
func (t Target) Insecure() bool {
	u, err := url.Parse(t.Endpoint)
	if err != nil || u.Scheme != "http" {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback())
}

// ErrTooPowerful is a credential that can do more than write statements.
var ErrTooPowerful = errors.New("the credential can do more than write statements")

// ErrRejected is a credential the LRS does not accept.
var ErrRejected = errors.New("the LRS does not accept this credential")

// Verdict is what Check could find out about a credential.
type Verdict struct {
	// Verified: the LRS said the credential's scopes are exactly
	// statements/write (a coursekit LRS says so).
	Verified bool
	// Unchecked says why the scopes could not be fully checked; empty when
	// Verified.
	Unchecked string
}

// Check asks the LRS what the credential may do. A coursekit LRS answers
// GET extensions/coursekit/credential with the credential's scopes; any
// other LRS is asked to read one statement, which a write-only credential
// must not be able to do, and its other scopes stay unknown. The error
// wraps ErrTooPowerful or ErrRejected when the credential must not be
// used; an LRS that cannot be reached is not an error but an unchecked
// verdict.
func Check(ctx context.Context, client *http.Client, t Target) (Verdict, error) {
	status, body, err := get(ctx, client, t, "extensions/coursekit/credential")
	if err != nil {
		return Verdict{Unchecked: fmt.Sprintf("could not reach the LRS to check the credential (%v)", err)}, nil
	}
	switch status {
	case http.StatusOK:
		var info struct {
			Scopes []string `json:"scopes"`
		}
		if err := json.Unmarshal(body, &info); err == nil {
			if slices.Equal(info.Scopes, []string{"statements/write"}) {
				return Verdict{Verified: true}, nil
			}
			return Verdict{}, fmt.Errorf("%w: its scopes are %s, but a credential anyone can read from the package must hold only statements/write; create one with coursekit credentials create --name NAME --scope statements/write",
				ErrTooPowerful, strings.Join(info.Scopes, ","))
		}
	case http.StatusUnauthorized:
		return Verdict{}, fmt.Errorf("%w (401 from %s); check the key and secret", ErrRejected, t.Endpoint)
	}

	status, _, err = get(ctx, client, t, "statements?limit=1")
	switch {
	case err != nil:
		return Verdict{Unchecked: fmt.Sprintf("could not reach the LRS to check the credential (%v)", err)}, nil
	case status == http.StatusOK:
		return Verdict{}, fmt.Errorf("%w: it can read statements, so anyone who opens the package could read every learner's records; use a credential that may only write statements", ErrTooPowerful)
	case status == http.StatusUnauthorized:
		return Verdict{}, fmt.Errorf("%w (401 from %s); check the key and secret", ErrRejected, t.Endpoint)
	case status == http.StatusForbidden:
		return Verdict{Unchecked: "the LRS refuses this credential reading statements, as it should, but does not say what else it may do; make sure it holds only statements/write"}, nil
	}
	return Verdict{Unchecked: fmt.Sprintf("the LRS answered %d when asked to read a statement; make sure the credential holds only statements/write", status)}, nil
}

func get(ctx context.Context, client *http.Client, t Target, path string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.Endpoint+path, nil)
	if err != nil {
		return 0, nil, err
	}
	req.SetBasicAuth(t.Key, t.Secret)
	req.Header.Set("X-Experience-API-Version", "1.0.3")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode, body, err
}
