package api_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs/api"
	"github.com/coursekit/coursekit/lrs/cmi5"
)

// TestRelaunchAbandons: launching a registration's AU again abandons its
// open sessions (cmi5 §9.3.6): their tokens and unused fetch URLs stop
// working and each gets one abandoned statement with the session's id and
// a duration; a session that terminated is left to its grace.
func TestRelaunchAbandons(t *testing.T) {
	l := newLaunchLRS(t, api.Config{})
	first := l.launch(t, launchBody(""))
	tok := l.token(t, first)
	post := func(cred string, a cmi5.Launch, verb string) int {
		return l.do(t, request{method: "POST", target: "/xapi/statements", cred: cred, body: sessionStatement(a, verb, nil)}).Code
	}
	if code := post(tok, first, verbs+"initialized"); code != 200 {
		t.Fatalf("initialized = %d", code)
	}
	unfetched := l.launch(t, launchBody(`"registration":"`+first.Registration+`"`)) // abandons first
	l.clock.add(time.Minute)
	second := l.launch(t, launchBody(`"registration":"`+first.Registration+`"`)) // abandons unfetched

	if code := post(tok, first, verbs+"experienced"); code != 401 {
		t.Errorf("the abandoned session's token = %d, want 401", code)
	}
	u, _ := url.Parse(unfetched.FetchURL)
	if got := l.fetch(t, unfetched.FetchURL); got["error-code"] != "1" {
		t.Errorf("POST %s of an abandoned launch = %v, want error-code 1", u.Path, got)
	}
	abandoned := l.statements(t, "verb="+url.QueryEscape(cmi5.VerbAbandoned)+"&registration="+first.Registration)
	sessions := map[string]string{}
	for _, st := range abandoned {
		sessions[st.Context.Extensions[cmi5.ExtSessionID]] = st.Result.Duration
		if st.Object.ID != first.ActivityID || !strings.Contains(st.Authority.Account.Name, "cmi5-launcher") {
			t.Errorf("abandoned statement about %s by %s", st.Object.ID, st.Authority.Account.Name)
		}
	}
	if len(abandoned) != 2 || sessions[first.SessionID] == "" || sessions[unfetched.SessionID] != "PT60.000S" {
		t.Errorf("abandoned statements by session: %v; want one for %s and one of PT60.000S for %s", sessions, first.SessionID, unfetched.SessionID)
	}

	// A terminated session keeps its grace, and is not abandoned.
	tok2 := l.token(t, second)
	if code := post(tok2, second, cmi5.VerbTerminated); code != 200 {
		t.Fatalf("terminated = %d", code)
	}
	l.launch(t, launchBody(`"registration":"`+first.Registration+`"`))
	if code := post(tok2, second, verbs+"experienced"); code != 200 {
		t.Errorf("the terminated session's token in its grace = %d, want 200", code)
	}
	if n := len(l.statements(t, "verb="+url.QueryEscape(cmi5.VerbAbandoned)+"&registration="+first.Registration)); n != 2 {
		t.Errorf("%d abandoned statements after relaunching a terminated session, want still 2", n)
	}
}

// launcherStatement is what TestRelaunchAbandons reads of a statement.
type launcherStatement struct {
	Object    struct{ ID string }
	Authority struct{ Account struct{ Name string } }
	Result    struct{ Duration string }
	Context   struct{ Extensions map[string]string }
}

func (l *launchLRS) statements(t *testing.T, query string) []launcherStatement {
	t.Helper()
	rec := l.do(t, request{method: "GET", target: "/xapi/statements?" + query, cred: l.Admin})
	var page struct{ Statements []launcherStatement }
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &page) != nil {
		t.Fatalf("GET statements?%s = %d %s", query, rec.Code, rec.Body)
	}
	return page.Statements
}
