package api

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// onlyParams rejects any parameter not in allowed. xAPI parameter names are
// case-sensitive, so "StatementId" is an error that names the right one.
func onlyParams(q url.Values, allowed ...string) error {
	for name := range q {
		known := false
		for _, a := range allowed {
			if name == a {
				known = true
				break
			}
		}
		if known {
			continue
		}
		for _, a := range allowed {
			if strings.EqualFold(name, a) {
				return badRequest("parameter", name, "is not a parameter of this resource; names are case-sensitive: did you mean "+a+"?")
			}
		}
		return badRequest("parameter", name, "is not a parameter of this resource")
	}
	for name, vs := range q {
		if len(vs) > 1 {
			return badRequest("parameter", name, "must be given once")
		}
	}
	return nil
}

var queryParams = []string{"statementId", "voidedStatementId", "agent", "verb", "activity", "registration",
	"related_activities", "related_agents", "since", "until", "limit", "format", "attachments", "ascending", "cursor"}

// statementQuery is a parsed GET /statements.
type statementQuery struct {
	id          string
	voided      bool
	filter      lrs.StatementFilter
	format      lrs.Format
	attachments bool
}

func parseStatementQuery(q url.Values, v xapi.Version) (statementQuery, error) {
	var sq statementQuery
	if err := onlyParams(q, queryParams...); err != nil {
		return sq, err
	}
	var err error
	if sq.format, err = parseFormat(q.Get("format")); err != nil {
		return sq, err
	}
	if sq.attachments, err = parseBool(q, "attachments"); err != nil {
		return sq, err
	}
	if id, vid := q.Get("statementId"), q.Get("voidedStatementId"); id != "" || vid != "" {
		// Communication §2.1.3: with either id, only attachments and format
		// may be given.
		for name := range q {
			if name != "statementId" && name != "voidedStatementId" && name != "attachments" && name != "format" {
				return sq, badRequest("parameter", name, "cannot be combined with statementId or voidedStatementId")
			}
		}
		if id != "" && vid != "" {
			return sq, badRequest("parameter", "voidedStatementId", "cannot be combined with statementId")
		}
		sq.id, sq.voided = id+vid, vid != ""
		if !uuidPattern.MatchString(sq.id) {
			return sq, badRequest("parameter", map[bool]string{false: "statementId", true: "voidedStatementId"}[sq.voided], "must be a UUID")
		}
		sq.id = strings.ToLower(sq.id)
		return sq, nil
	}
	f := &sq.filter
	if a := q.Get("agent"); a != "" {
		agent, err := xapi.ParseAgent([]byte(a), v)
		if err != nil {
			return sq, badRequest("parameter", "agent", "must be a JSON Agent or identified Group: "+err.Error())
		}
		if f.Agent = agent.IFI(); f.Agent == "" {
			return sq, badRequest("parameter", "agent", "must have an inverse functional identifier")
		}
	}
	for name, dst := range map[string]*string{"verb": &f.Verb, "activity": &f.Activity} {
		if val := q.Get(name); val != "" {
			if !isIRI(val) {
				return sq, badRequest("parameter", name, "must be an IRI")
			}
			*dst = val
		}
	}
	if r := q.Get("registration"); r != "" {
		if !uuidPattern.MatchString(r) {
			return sq, badRequest("parameter", "registration", "must be a UUID")
		}
		f.Registration = strings.ToLower(r)
	}
	for name, dst := range map[string]*bool{"related_activities": &f.RelatedActivities, "related_agents": &f.RelatedAgents, "ascending": &f.Ascending} {
		if *dst, err = parseBool(q, name); err != nil {
			return sq, err
		}
	}
	for name, dst := range map[string]*time.Time{"since": &f.Since, "until": &f.Until} {
		if val := q.Get(name); val != "" {
			t, err := time.Parse(time.RFC3339Nano, val)
			if err != nil {
				return sq, badRequest("parameter", name, "must be an ISO 8601 timestamp with a time zone, such as 2026-11-23T10:00:00Z")
			}
			*dst = t.UTC()
		}
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			return sq, badRequest("parameter", "limit", "must be a whole number, 0 or more (0 means the server's maximum)")
		}
		f.Limit = n
	}
	if cur := q.Get("cursor"); cur != "" {
		seq, err := strconv.ParseInt(cur, 10, 64)
		if err != nil || seq < 0 {
			return sq, badRequest("parameter", "cursor", "must be the cursor of a more link")
		}
		f.After = &lrs.Cursor{Seq: seq}
	}
	return sq, nil
}

func parseFormat(s string) (lrs.Format, error) {
	switch f := lrs.Format(s); f {
	case "":
		return lrs.FormatExact, nil
	case lrs.FormatExact, lrs.FormatIDs, lrs.FormatCanonical:
		return f, nil
	}
	return "", badRequest("parameter", "format", "must be ids, exact or canonical")
}

func parseBool(q url.Values, name string) (bool, error) {
	switch q.Get(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, badRequest("parameter", name, "must be true or false")
}

// isIRI is the check the query parameters need: a scheme and something
// after it, and no spaces.
func isIRI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && !strings.ContainsAny(s, " \t\r\n") && len(s) > len(u.Scheme)+1
}
