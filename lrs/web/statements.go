package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/pkg/xapi"
)

type statementsPage struct {
	Form       statementForm
	Error      string
	Statements []statementRow
	// Next continues after the page's last statement (the store's
	// cursor); First goes back to the newest.
	Next, First string
	Mine        bool
}

// statementForm is the browser's filters as typed.
type statementForm struct {
	Agent, Verb, Activity, Registration, Since, Until string
}

type statementRow struct {
	ID, Link         string
	Stored           string
	Actor, ActorLink string
	Verb, VerbLink   string
	Object, ObjLink  string
	Result           string
}

func (d *Dashboard) handleStatements(w http.ResponseWriter, r *http.Request, v *viewer) {
	q := r.URL.Query()
	p := statementsPage{Mine: v.Mine != "", Form: statementForm{Agent: q.Get("agent"), Verb: q.Get("verb"),
		Activity: q.Get("activity"), Registration: q.Get("registration"), Since: q.Get("since"), Until: q.Get("until")}}
	f, err := statementFilter(q)
	if errors.Is(err, errBadInput) {
		p.Error = strings.TrimPrefix(err.Error(), errBadInput.Error()+": ")
		d.render(w, r, http.StatusBadRequest, "statements", "Statements", "statements", v, p)
		return
	}
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	f.Limit = PageSize
	page, err := d.cfg.Statements.Statements(r.Context(), f, lrs.ReadOptions{Format: lrs.FormatExact, Authority: v.Mine})
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	base := with(q)
	base.Del("cursor")
	if q.Get("cursor") != "" {
		p.First = link("/statements", base)
	}
	if page.More != nil {
		p.Next = link("/statements", with(base, "cursor", strconv.FormatInt(page.More.Seq, 10)))
	}
	for _, got := range page.Statements {
		p.Statements = append(p.Statements, newStatementRow(got, base))
	}
	d.render(w, r, http.StatusOK, "statements", "Statements", "statements", v, p)
}

// statementFilter reads the browser's filters: the xAPI query's, with the
// agent as JSON or a shorthand (mailto:, or an IFI as the reports show
// one).
func statementFilter(q url.Values) (lrs.StatementFilter, error) {
	var f lrs.StatementFilter
	var err error
	if a := strings.TrimSpace(q.Get("agent")); a != "" {
		if f.Agent, err = agentIFI(a); err != nil {
			return f, err
		}
	}
	f.Verb, f.Activity = strings.TrimSpace(q.Get("verb")), strings.TrimSpace(q.Get("activity"))
	if f.Registration = strings.ToLower(strings.TrimSpace(q.Get("registration"))); f.Registration != "" && !uuidPattern.MatchString(f.Registration) {
		return f, badInput("Registration must be a UUID")
	}
	if f.Since, err = parseTime("Since", q.Get("since")); err != nil {
		return f, err
	}
	if f.Until, err = parseTime("Until", q.Get("until")); err != nil {
		return f, err
	}
	if c := q.Get("cursor"); c != "" {
		seq, err := strconv.ParseInt(c, 10, 64)
		if err != nil || seq < 0 {
			return f, badInput("the cursor must come from a Next link")
		}
		f.After = &lrs.Cursor{Seq: seq}
	}
	return f, nil
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// agentIFI reads the agent filter: an Agent as JSON, "mailto:...", or an
// IFI as Agent.IFI writes it ("mbox:mailto:...", "account:HOME|NAME",
// "openid:...", "mbox_sha1sum:...").
func agentIFI(s string) (string, error) {
	var agent map[string]any
	switch {
	case strings.HasPrefix(s, "{"):
		a, err := xapi.ParseAgent([]byte(s), xapi.Version200)
		if err != nil {
			return "", badInput("Agent is not a valid xAPI Agent: %v", err)
		}
		if ifi := a.IFI(); ifi != "" {
			return ifi, nil
		}
		return "", badInput("Agent has no identifier (mbox, mbox_sha1sum, openid or account)")
	case strings.HasPrefix(strings.ToLower(s), "mailto:"):
		agent = map[string]any{"mbox": s}
	case strings.HasPrefix(s, "mbox:"):
		agent = map[string]any{"mbox": strings.TrimPrefix(s, "mbox:")}
	case strings.HasPrefix(s, "mbox_sha1sum:"):
		agent = map[string]any{"mbox_sha1sum": strings.TrimPrefix(s, "mbox_sha1sum:")}
	case strings.HasPrefix(s, "openid:"):
		agent = map[string]any{"openid": strings.TrimPrefix(s, "openid:")}
	case strings.HasPrefix(s, "account:"):
		home, name, ok := strings.Cut(strings.TrimPrefix(s, "account:"), "|")
		if !ok {
			return "", badInput("an account is written account:HOMEPAGE|NAME")
		}
		agent = map[string]any{"account": map[string]string{"homePage": home, "name": name}}
	default:
		return "", badInput("Agent must be JSON, mailto:ADDRESS or account:HOMEPAGE|NAME")
	}
	raw, _ := json.Marshal(agent)
	a, err := xapi.ParseAgent(raw, xapi.Version200)
	if err != nil {
		return "", badInput("Agent is not valid: %v", err)
	}
	return a.IFI(), nil
}

// listed is the part of a statement the browser's table shows.
type listed struct {
	ID    string          `json:"id"`
	Actor json.RawMessage `json:"actor"`
	Verb  struct {
		ID      string            `json:"id"`
		Display map[string]string `json:"display"`
	} `json:"verb"`
	Object struct {
		ObjectType string `json:"objectType"`
		ID         string `json:"id"`
		Definition struct {
			Name map[string]string `json:"name"`
		} `json:"definition"`
	} `json:"object"`
	Result *struct {
		Response string `json:"response"`
		Success  *bool  `json:"success"`
		Score    *struct {
			Scaled *float64 `json:"scaled"`
		} `json:"score"`
	} `json:"result"`
}

func newStatementRow(got lrs.Got, base url.Values) statementRow {
	var st listed
	_ = json.Unmarshal(got.JSON, &st) // stored statements are valid; a part that is not shows empty
	row := statementRow{ID: st.ID, Link: link("/statement", url.Values{"id": {st.ID}}), Stored: when(got.Stored)}
	if a, err := xapi.ParseAgent(st.Actor, xapi.Version200); err == nil {
		row.Actor = a.Name
		if ifi := a.IFI(); ifi != "" {
			if row.Actor == "" {
				row.Actor = ifi
			}
			row.ActorLink = link("/statements", with(base, "agent", ifi))
		}
	}
	row.Verb = langString(st.Verb.Display, lastSegment(st.Verb.ID))
	if st.Verb.ID != "" {
		row.VerbLink = link("/statements", with(base, "verb", st.Verb.ID))
	}
	switch st.Object.ObjectType {
	case "", "Activity":
		row.Object = langString(st.Object.Definition.Name, st.Object.ID)
		if st.Object.ID != "" {
			row.ObjLink = link("/statements", with(base, "activity", st.Object.ID))
		}
	default:
		row.Object = st.Object.ObjectType
	}
	if res := st.Result; res != nil {
		var parts []string
		if res.Score != nil {
			parts = append(parts, "score "+score(res.Score.Scaled))
		}
		if res.Success != nil {
			parts = append(parts, map[bool]string{true: "success", false: "no success"}[*res.Success])
		}
		if res.Response != "" {
			resp := res.Response
			if len(resp) > 80 {
				resp = strings.ToValidUTF8(resp[:80], "") + "…"
			}
			parts = append(parts, "“"+resp+"”")
		}
		row.Result = strings.Join(parts, ", ")
	}
	return row
}

// langString picks a language map's English entry, else any, else def.
func langString(m map[string]string, def string) string {
	for _, tag := range []string{"en-US", "en-GB", "en"} {
		if s := m[tag]; s != "" {
			return s
		}
	}
	for _, s := range m {
		if s != "" {
			return s
		}
	}
	return def
}

func lastSegment(iri string) string {
	if i := strings.LastIndexAny(iri, "/#"); i >= 0 && i < len(iri)-1 {
		return iri[i+1:]
	}
	return iri
}

type statementPage struct {
	ID     string
	Voided bool
	Stored string
	JSON   string
	Back   string
}

func (d *Dashboard) handleStatement(w http.ResponseWriter, r *http.Request, v *viewer) {
	id := strings.ToLower(r.URL.Query().Get("id"))
	if !uuidPattern.MatchString(id) {
		d.fail(w, r, v, http.StatusBadRequest, "A statement id is a UUID.")
		return
	}
	opts := lrs.ReadOptions{Format: lrs.FormatExact, Authority: v.Mine}
	got, _, err := d.cfg.Statements.Statement(r.Context(), id, false, opts)
	voided := false
	if errors.Is(err, lrs.ErrNotFound) {
		got, _, err = d.cfg.Statements.Statement(r.Context(), id, true, opts)
		voided = err == nil
	}
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got.JSON, "", "  "); err != nil {
		d.failErr(w, r, v, err)
		return
	}
	p := statementPage{ID: id, Voided: voided, Stored: when(got.Stored), JSON: pretty.String(), Back: "/statements"}
	d.render(w, r, http.StatusOK, "statement", "Statement "+id, "statements", v, p)
}
