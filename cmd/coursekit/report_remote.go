package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coursekit/coursekit/lrs/progress"
)

// remoteReader answers reports from a coursekit LRS's /api/reports/
// endpoints.
type remoteReader struct {
	base        *url.URL // ends in /api/reports/
	key, secret string
	client      *http.Client
}

var _ progress.Reader = (*remoteReader)(nil)

// newRemoteReader reads from the LRS at endpoint: its base URL, or its
// xAPI URL ending in /xapi/.
func newRemoteReader(endpoint, key, secret string) (*remoteReader, error) {
	u, err := url.Parse(strings.TrimSuffix(strings.TrimRight(endpoint, "/"), "/xapi"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--endpoint %s is not an http(s) URL", endpoint)
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/api/reports/"
	return &remoteReader{base: u, key: key, secret: secret, client: &http.Client{Timeout: time.Minute}}, nil
}

// reportParams are the parameters each endpoint takes beside course,
// since and until; it refuses others.
var reportParams = map[string][]string{
	"courses":   {"group"},
	"course":    {"group"},
	"learners":  {"group", "status", "search", "sort", "limit", "offset"},
	"learner":   {"learner"},
	"questions": {"group"},
	"responses": {"group"},
}

// reportQuery is the filter as the endpoint at path reads it. Authority is
// never sent: the LRS sets it from the credential.
func reportQuery(path string, f progress.Filter) url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("course", f.Course)
	set("group", f.Group)
	set("learner", f.Learner)
	set("status", string(f.Status))
	set("search", f.Search)
	set("sort", f.Sort)
	if !f.Since.IsZero() {
		q.Set("since", f.Since.UTC().Format(time.RFC3339Nano))
	}
	if !f.Until.IsZero() {
		q.Set("until", f.Until.UTC().Format(time.RFC3339Nano))
	}
	if f.Limit != 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	if f.Offset != 0 {
		q.Set("offset", strconv.Itoa(f.Offset))
	}
	for k := range q {
		if k != "course" && k != "since" && k != "until" && !slices.Contains(reportParams[path], k) {
			q.Del(k)
		}
	}
	return q
}

// get fetches one report into v.
func (r *remoteReader) get(ctx context.Context, path string, f progress.Filter, v any) error {
	u := r.base.ResolveReference(&url.URL{Path: path, RawQuery: reportQuery(path, f).Encode()})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.SetBasicAuth(r.key, r.secret)
	req.Header.Set("Accept", "application/json")
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return remoteFailure(path, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("report %s: the LRS answered with what is not a report: %w", path, err)
	}
	return nil
}

// remoteFailure says what the LRS refused, from its {error, property, rule}.
func remoteFailure(path string, status int, body []byte) error {
	var e struct{ Error, Property, Rule string }
	_ = json.Unmarshal(body, &e)
	switch {
	case status == http.StatusNotFound && e.Error == progress.ErrUnknownCourse.Error():
		return progress.ErrUnknownCourse
	case status == http.StatusUnauthorized:
		return fmt.Errorf("report %s: the LRS refused the credential (401); check --credential", path)
	case status == http.StatusForbidden:
		return fmt.Errorf("report %s: the credential may not read reports (403): it needs statements/read, statements/read/mine, all/read or all", path)
	case status == http.StatusNotFound:
		return fmt.Errorf("report %s: the LRS has no reports (404); is --endpoint a coursekit LRS serving --courses?", path)
	case e.Property != "":
		return fmt.Errorf("report %s: %s (%d): %s %s", path, e.Error, status, e.Property, e.Rule)
	case e.Error != "":
		return fmt.Errorf("report %s: %s (%d)", path, e.Error, status)
	}
	return fmt.Errorf("report %s: the LRS answered %d", path, status)
}

func (r *remoteReader) Courses(ctx context.Context, f progress.Filter) ([]progress.CourseSummary, error) {
	var out struct {
		Courses []progress.CourseSummary `json:"courses"`
	}
	err := r.get(ctx, "courses", f, &out)
	return out.Courses, err
}

func (r *remoteReader) Course(ctx context.Context, f progress.Filter) (progress.CourseDetail, error) {
	var out progress.CourseDetail
	err := r.get(ctx, "course", f, &out)
	return out, err
}

func (r *remoteReader) Learners(ctx context.Context, f progress.Filter) ([]progress.LearnerRow, int, error) {
	var out struct {
		Learners []progress.LearnerRow `json:"learners"`
		Total    int                   `json:"total"`
	}
	err := r.get(ctx, "learners", f, &out)
	return out.Learners, out.Total, err
}

func (r *remoteReader) Learner(ctx context.Context, f progress.Filter) (progress.LearnerDetail, error) {
	var out progress.LearnerDetail
	err := r.get(ctx, "learner", f, &out)
	return out, err
}

func (r *remoteReader) Questions(ctx context.Context, f progress.Filter) ([]progress.QuestionRow, error) {
	var out struct {
		Questions []progress.QuestionRow `json:"questions"`
	}
	err := r.get(ctx, "questions", f, &out)
	return out.Questions, err
}

func (r *remoteReader) Responses(ctx context.Context, f progress.Filter) ([]progress.ResponseRow, error) {
	var out struct {
		Responses []progress.ResponseRow `json:"responses"`
	}
	err := r.get(ctx, "responses", f, &out)
	return out.Responses, err
}
