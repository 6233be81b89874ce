package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coursekit/coursekit/lrs/progress"
)

// errBadInput marks a request parameter the dashboard cannot use; its
// message is shown to the reader.
var errBadInput = errors.New("bad input")

func badInput(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errBadInput}, args...)...)
}

var funcs = template.FuncMap{
	"pct":      pct,
	"score":    score,
	"duration": duration,
	"when":     when,
	"date":     date,
	"deref":    func(b *bool) bool { return b != nil && *b },
}

// pct shows a share 0..1 as a percentage.
func pct(f float64) string {
	return strconv.FormatFloat(f*100, 'f', 0, 64) + "%"
}

// score shows a scaled score as a percentage, or a dash for none.
func score(f *float64) string {
	if f == nil {
		return "—"
	}
	return pct(*f)
}

// duration shows time spent to the minute, or seconds below one.
func duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + " s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " min"
	}
	h := int(d.Hours())
	return fmt.Sprintf("%d h %d min", h, int(d.Minutes())-60*h)
}

// when shows a time in UTC to the minute, or a dash for none.
func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// date is the value of a filter's date field.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.UTC().Format("2006-01-02")
	}
	return t.UTC().Format("2006-01-02T15:04")
}

// parseTime reads a filter date: a day, a datetime-local value or
// RFC 3339, UTC unless it says otherwise.
func parseTime(name, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04", "2006-01-02T15:04:05", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, badInput("%s must be a date such as 2026-03-01 or 2026-03-01T14:30 (UTC)", name)
}

// reportFilter reads the filters every report page shares.
func reportFilter(q url.Values, v *viewer) (progress.Filter, error) {
	f := progress.Filter{Course: q.Get("course"), Group: strings.TrimSpace(q.Get("group")), Authority: v.Mine}
	var err error
	if f.Since, err = parseTime("From", q.Get("since")); err != nil {
		return f, err
	}
	if f.Until, err = parseTime("Until", q.Get("until")); err != nil {
		return f, err
	}
	return f, nil
}

// link is a dashboard URL: a path and its query.
func link(path string, q url.Values) string {
	clean := url.Values{}
	for k, vs := range q {
		if len(vs) > 0 && vs[0] != "" {
			clean.Set(k, vs[0])
		}
	}
	if len(clean) == 0 {
		return path
	}
	return path + "?" + clean.Encode()
}

// with returns a copy of q with the keys set (pairs of key and value).
func with(q url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range q {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// period is the since/until/group part of a report page's form.
type period struct {
	Since, Until, Group string
}

func periodOf(f progress.Filter) period {
	return period{Since: date(f.Since), Until: date(f.Until), Group: f.Group}
}

// courseNav is the links between a course's pages, keeping the filters.
type courseNav struct {
	ID, Title                                string
	Overview, Learners, Questions, Responses string
	Current                                  string
}

func newCourseNav(id, title, current string, q url.Values) courseNav {
	keep := url.Values{"course": {id}, "since": {q.Get("since")}, "until": {q.Get("until")}, "group": {q.Get("group")}}
	overview := with(keep, "id", id)
	overview.Del("course")
	return courseNav{ID: id, Title: title, Current: current,
		Overview: link("/course", overview), Learners: link("/learners", keep),
		Questions: link("/questions", keep), Responses: link("/responses", keep)}
}
