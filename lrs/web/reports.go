package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coursekit/coursekit/lrs/progress"
)

type coursesPage struct {
	Period  period
	Courses []courseRow
}

type courseRow struct {
	progress.CourseSummary
	Link string
}

func (d *Dashboard) handleCourses(w http.ResponseWriter, r *http.Request, v *viewer) {
	q := r.URL.Query()
	f, err := reportFilter(q, v)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	sums, err := d.cfg.Reader.Courses(r.Context(), f)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	p := coursesPage{Period: periodOf(f), Courses: make([]courseRow, len(sums))}
	for i, s := range sums {
		p.Courses[i] = courseRow{CourseSummary: s, Link: link("/course", with(q, "id", s.ID))}
	}
	d.render(w, r, http.StatusOK, "courses", "Courses", "courses", v, p)
}

type coursePage struct {
	Nav       courseNav
	Period    period
	Detail    progress.CourseDetail
	Funnel    chart
	Histogram chart
	// FunnelRows are the funnel as a table: its text alternative.
	FunnelRows []funnelRow
}

type funnelRow struct {
	N       int
	Title   string
	Viewers int
	Share   float64
}

func (d *Dashboard) handleCourse(w http.ResponseWriter, r *http.Request, v *viewer) {
	q := r.URL.Query()
	f, err := reportFilter(q, v)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	if f.Course = q.Get("id"); f.Course == "" {
		d.fail(w, r, v, http.StatusBadRequest, "Choose a course on the Courses page.")
		return
	}
	det, err := d.cfg.Reader.Course(r.Context(), f)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	p := coursePage{Nav: newCourseNav(f.Course, det.Summary.Title, "overview", q), Period: periodOf(f), Detail: det,
		Funnel: funnelChart(det), Histogram: scoreChart(det.Scores)}
	for i, l := range det.Funnel {
		row := funnelRow{N: i + 1, Title: l.Title, Viewers: l.Learners}
		if det.Summary.Started > 0 {
			row.Share = float64(l.Learners) / float64(det.Summary.Started)
		}
		p.FunnelRows = append(p.FunnelRows, row)
	}
	d.render(w, r, http.StatusOK, "course", det.Summary.Title, "courses", v, p)
}

// courseTitle checks that the filter's course exists and returns its
// title, for the pages of one course.
func (d *Dashboard) courseTitle(r *http.Request, f progress.Filter) (string, error) {
	if f.Course == "" {
		return "", badInput("choose a course on the Courses page")
	}
	det, err := d.cfg.Reader.Course(r.Context(), f)
	if err != nil {
		return "", err
	}
	return det.Summary.Title, nil
}

// learnerColumns are the learners table's sortable columns, in order.
var learnerColumns = []struct{ Key, Label string }{
	{"name", "Learner"}, {"status", "Status"}, {"progress", "Progress"},
	{"score", "Best score"}, {"time", "Time spent"}, {"last", "Last seen"},
}

type learnersPage struct {
	Nav      courseNav
	Period   period
	Search   string
	Status   string
	Statuses []progress.Status
	Sort     string
	Columns  []column
	Rows     []learnerLink
	Total    int
	Pager    pager
	CSV      string
}

type column struct {
	Label string
	Link  string
	// AriaSort is "ascending" or "descending" on the sorted column.
	AriaSort string
}

type learnerLink struct {
	progress.LearnerRow
	Link string
}

type pager struct {
	Page, Pages, From, To int
	Prev, Next            string
}

func newPager(q url.Values, path string, page, total int) pager {
	p := pager{Page: page, Pages: (total + PageSize - 1) / PageSize}
	if total > 0 {
		p.From, p.To = (page-1)*PageSize+1, min(page*PageSize, total)
	}
	if page > 1 {
		p.Prev = link(path, with(q, "page", strconv.Itoa(page-1)))
	}
	if page < p.Pages {
		p.Next = link(path, with(q, "page", strconv.Itoa(page+1)))
	}
	return p
}

// pagedCourseQuery reads the query of a paged report of one course: the
// filter (which filter reads), the page number and the course's title.
func (d *Dashboard) pagedCourseQuery(r *http.Request, v *viewer, filter func(url.Values, *viewer) (progress.Filter, error)) (f progress.Filter, page int, title string, err error) {
	q := r.URL.Query()
	if f, err = filter(q, v); err != nil {
		return f, 0, "", err
	}
	if page, err = pageNumber(q); err != nil {
		return f, 0, "", err
	}
	title, err = d.courseTitle(r, f)
	return f, page, title, err
}

func pageNumber(q url.Values) (int, error) {
	s := q.Get("page")
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, badInput("page must be a page number")
	}
	return n, nil
}

// learnersFilter reads the learners table's filters, shared by the page
// and its CSV.
func learnersFilter(q url.Values, v *viewer) (progress.Filter, error) {
	f, err := reportFilter(q, v)
	if err != nil {
		return f, err
	}
	f.Search = strings.TrimSpace(q.Get("q"))
	if s := q.Get("status"); s != "" {
		ok := false
		for _, st := range progress.Statuses {
			ok = ok || string(st) == s
		}
		if !ok {
			return f, badInput("status must be one of the listed statuses")
		}
		f.Status = progress.Status(s)
	}
	if f.Sort = q.Get("sort"); f.Sort != "" {
		ok := false
		for _, c := range learnerColumns {
			ok = ok || f.Sort == c.Key || f.Sort == "-"+c.Key
		}
		if !ok {
			return f, badInput("sort must name a column of the table")
		}
	}
	return f, nil
}

func (d *Dashboard) handleLearners(w http.ResponseWriter, r *http.Request, v *viewer) {
	q := r.URL.Query()
	f, page, title, err := d.pagedCourseQuery(r, v, learnersFilter)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	f.Limit, f.Offset = PageSize, (page-1)*PageSize
	rows, total, err := d.cfg.Reader.Learners(r.Context(), f)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	p := learnersPage{Nav: newCourseNav(f.Course, title, "learners", q), Period: periodOf(f), Search: f.Search,
		Status: string(f.Status), Statuses: progress.Statuses, Sort: f.Sort, Total: total,
		Pager: newPager(q, "/learners", page, total), Rows: make([]learnerLink, len(rows))}
	unpaged := with(q)
	unpaged.Del("page")
	p.CSV = link("/learners.csv", unpaged)
	current := strings.TrimPrefix(f.Sort, "-")
	if current == "" {
		current = "name"
	}
	desc := strings.HasPrefix(f.Sort, "-")
	for _, c := range learnerColumns {
		col := column{Label: c.Label, Link: link("/learners", with(unpaged, "sort", c.Key))}
		if c.Key == current {
			col.AriaSort = "ascending"
			if desc {
				col.AriaSort = "descending"
			} else {
				col.Link = link("/learners", with(unpaged, "sort", "-"+c.Key))
			}
		}
		p.Columns = append(p.Columns, col)
	}
	for i, row := range rows {
		p.Rows[i] = learnerLink{LearnerRow: row, Link: link("/learner", url.Values{"id": {row.Learner}, "course": {f.Course}})}
	}
	d.render(w, r, http.StatusOK, "learners", "Learners of "+title, "courses", v, p)
}

type learnerPage struct {
	Detail progress.LearnerDetail
	// Back is the learners page of the course the reader came from.
	Back     string
	Timeline []progress.Event
	// Cut is how many older events the page leaves out.
	Cut int
}

// maxTimeline bounds the events a learner page shows.
const maxTimeline = 500

func (d *Dashboard) handleLearner(w http.ResponseWriter, r *http.Request, v *viewer) {
	q := r.URL.Query()
	f, err := reportFilter(q, v)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	f.Course = ""
	if f.Learner = q.Get("id"); f.Learner == "" {
		d.fail(w, r, v, http.StatusBadRequest, "Choose a learner on a course's Learners page.")
		return
	}
	det, err := d.cfg.Reader.Learner(r.Context(), f)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	p := learnerPage{Detail: det, Timeline: det.Timeline}
	if len(p.Timeline) > maxTimeline {
		p.Cut = len(p.Timeline) - maxTimeline
		p.Timeline = p.Timeline[:maxTimeline]
	}
	if c := q.Get("course"); c != "" {
		p.Back = link("/learners", url.Values{"course": {c}})
	}
	name := det.Name
	if name == "" {
		name = det.Learner
	}
	d.render(w, r, http.StatusOK, "learner", name, "courses", v, p)
}

type questionsPage struct {
	Nav       courseNav
	Period    period
	Questions []progress.QuestionRow
}

func (d *Dashboard) handleQuestions(w http.ResponseWriter, r *http.Request, v *viewer) {
	q := r.URL.Query()
	f, err := reportFilter(q, v)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	title, err := d.courseTitle(r, f)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	rows, err := d.cfg.Reader.Questions(r.Context(), f)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	p := questionsPage{Nav: newCourseNav(f.Course, title, "questions", q), Period: periodOf(f), Questions: rows}
	d.render(w, r, http.StatusOK, "questions", "Questions of "+title, "courses", v, p)
}

type responsesPage struct {
	Nav       courseNav
	Period    period
	Responses []responseLink
	Total     int
	Pager     pager
}

type responseLink struct {
	progress.ResponseRow
	Link string
}

func (d *Dashboard) handleResponses(w http.ResponseWriter, r *http.Request, v *viewer) {
	q := r.URL.Query()
	f, page, title, err := d.pagedCourseQuery(r, v, reportFilter)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	rows, err := d.cfg.Reader.Responses(r.Context(), f)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	p := responsesPage{Nav: newCourseNav(f.Course, title, "responses", q), Period: periodOf(f), Total: len(rows),
		Pager: newPager(q, "/responses", page, len(rows))}
	from := min((page-1)*PageSize, len(rows))
	for _, row := range rows[from:min(from+PageSize, len(rows))] {
		p.Responses = append(p.Responses, responseLink{ResponseRow: row,
			Link: link("/learner", url.Values{"id": {row.Learner}, "course": {f.Course}})})
	}
	d.render(w, r, http.StatusOK, "responses", "Responses in "+title, "courses", v, p)
}
