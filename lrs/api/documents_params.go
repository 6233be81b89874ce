package api

import (
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// docResource is one of the three document resources (Communication
// §2.3, §2.6, §2.7): which parameters name its documents and which scopes
// read and write them.
type docResource struct {
	kind        lrs.DocumentKind
	path        string
	idParam     string // stateId or profileId
	activity    bool   // activityId names the context
	agent       bool   // agent names the context
	read, write lrs.Scope
}

var docResources = []docResource{
	{lrs.KindState, "/activities/state", "stateId", true, true, lrs.ReadState, lrs.ScopeState},
	{lrs.KindActivityProfile, "/activities/profile", "profileId", true, false, lrs.ReadProfile, lrs.ScopeProfile},
	{lrs.KindAgentProfile, "/agents/profile", "profileId", false, true, lrs.ReadProfile, lrs.ScopeProfile},
}

// docQuery is a document request's parameters.
type docQuery struct {
	key   lrs.DocumentKey
	since time.Time
}

// parse reads and checks the parameters of a request with method: unknown
// ones are 400, as are missing or malformed required ones.
func (r docResource) parse(q url.Values, method string, v xapi.Version) (docQuery, error) {
	var dq docQuery
	allowed := []string{r.idParam}
	if r.activity {
		allowed = append(allowed, "activityId")
	}
	if r.agent {
		allowed = append(allowed, "agent")
	}
	if r.kind == lrs.KindState {
		allowed = append(allowed, "registration")
	}
	if method == http.MethodGet || method == http.MethodHead {
		allowed = append(allowed, "since")
	}
	if err := onlyParams(q, allowed...); err != nil {
		return dq, err
	}
	k := &dq.key
	k.Kind = r.kind
	if r.activity {
		id := q.Get("activityId")
		if id == "" {
			return dq, badRequest("parameter", "activityId", "is required")
		}
		if !isIRI(id) || !cleanText(id) {
			return dq, badRequest("parameter", "activityId", "must be an IRI")
		}
		k.ActivityID = id
	}
	if r.agent {
		a, err := agentParam(q, v)
		if err != nil {
			return dq, err
		}
		k.Agent = a.IFI()
	}
	if reg := q.Get("registration"); reg != "" {
		if !uuidPattern.MatchString(reg) {
			return dq, badRequest("parameter", "registration", "must be a UUID")
		}
		k.Registration = strings.ToLower(reg)
	}
	k.ID = q.Get(r.idParam)
	switch {
	case q.Has(r.idParam) && (k.ID == "" || !cleanText(k.ID)):
		return dq, badRequest("parameter", r.idParam, "must be a non-empty UTF-8 string without NUL characters")
	case k.ID == "" && (method == http.MethodPut || method == http.MethodPost):
		return dq, badRequest("parameter", r.idParam, "is required on "+method)
	case k.ID == "" && method == http.MethodDelete && r.kind != lrs.KindState:
		return dq, badRequest("parameter", r.idParam, "is required on DELETE: a profile is deleted one document at a time")
	}
	if s := q.Get("since"); s != "" {
		if k.ID != "" {
			// xAPI 2.0 says so outright; under 1.0.3 since is a parameter
			// of the ids GET only.
			return dq, badRequest("parameter", "since", "cannot be combined with "+r.idParam+": since filters the list of ids")
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return dq, badRequest("parameter", "since", "must be an ISO 8601 timestamp with a time zone, such as 2026-11-23T10:00:00Z")
		}
		dq.since = t.UTC()
	}
	return dq, nil
}

// agentParam reads the required agent parameter: an Agent, checked with
// the rules of a statement's actor. A Group is refused: documents belong to
// an Agent, and a Group's identifier can be sent as an Agent's
// (Communication §2.6).
func agentParam(q url.Values, v xapi.Version) (xapi.Agent, error) {
	raw := q.Get("agent")
	if raw == "" {
		return xapi.Agent{}, badRequest("parameter", "agent", "is required")
	}
	a, err := xapi.ParseAgent([]byte(raw), v)
	if err != nil {
		return a, badRequest("parameter", "agent", "must be a JSON Agent: "+err.Error())
	}
	if a.IsGroup() {
		return a, badRequest("parameter", "agent", `must be an Agent, not a Group; send an identified Group's identifier in an Agent object`)
	}
	return a, nil
}

// cleanText reports whether s can be stored as text by both databases:
// valid UTF-8 without NUL.
func cleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// preconditions reads If-Match and If-None-Match: comma-separated entity
// tags, quoted or not (some clients send the bare SHA-1), or "*".
func preconditions(h http.Header) (lrs.Preconditions, error) {
	var p lrs.Preconditions
	for _, hdr := range []struct {
		name string
		dst  *[]string
	}{{"If-Match", &p.IfMatch}, {"If-None-Match", &p.IfNoneMatch}} {
		values := h.Values(hdr.name)
		if len(values) == 0 {
			continue
		}
		tags := []string{}
		for _, v := range values {
			for _, t := range strings.Split(v, ",") {
				t = strings.TrimSpace(t)
				if t == "" {
					continue
				}
				weak := strings.HasPrefix(t, "W/")
				t = strings.TrimPrefix(t, "W/")
				if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
					t = t[1 : len(t)-1]
				}
				if t == "" || strings.ContainsAny(t, "\" ") {
					return p, badRequest("header", hdr.name, `must be * or a list of ETags such as "a9993e364706816aba3e25717850c26c9cd0d89d"`)
				}
				if weak {
					t = "W/" + t
				}
				tags = append(tags, t)
			}
		}
		if len(tags) == 0 {
			return p, badRequest("header", hdr.name, `must be * or a list of ETags such as "a9993e364706816aba3e25717850c26c9cd0d89d"`)
		}
		*hdr.dst = tags
	}
	return p, nil
}
