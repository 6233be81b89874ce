package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/pkg/csvsafe"
)

// csvChunk is how many learners one reader call fetches for a download.
const csvChunk = 1000

var csvHeader = []string{"learner", "name", "status", "progress", "score", "latest_score", "attempts",
	"registrations", "time_spent_seconds", "first_seen", "last_seen"}

// handleLearnersCSV downloads the learners table as filtered and sorted,
// every page of it.
func (d *Dashboard) handleLearnersCSV(w http.ResponseWriter, r *http.Request, v *viewer) {
	f, err := learnersFilter(r.URL.Query(), v)
	if err != nil {
		d.failErr(w, r, v, err)
		return
	}
	if f.Course == "" {
		d.fail(w, r, v, http.StatusBadRequest, "Choose a course on the Courses page.")
		return
	}
	// Built in memory before anything is sent, so that an error is a
	// proper error page, not a truncated file.
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write(csvHeader)
	f.Limit = csvChunk
	for f.Offset = 0; ; f.Offset += csvChunk {
		rows, total, err := d.cfg.Reader.Learners(r.Context(), f)
		if err != nil {
			d.failErr(w, r, v, err)
			return
		}
		for _, row := range rows {
			_ = cw.Write(csvRecord(row))
		}
		if len(rows) < csvChunk || f.Offset+len(rows) >= total {
			break
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		d.failErr(w, r, v, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="learners.csv"`)
	_, _ = w.Write(buf.Bytes())
}

func csvRecord(row progress.LearnerRow) []string {
	num := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	t := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	rec := []string{row.Learner, row.Name, string(row.Status), strconv.FormatFloat(row.Progress, 'f', -1, 64),
		num(row.Score), num(row.LatestScore), strconv.Itoa(row.Attempts), strconv.Itoa(row.Registrations),
		strconv.FormatInt(int64(row.TimeSpent/time.Second), 10), t(row.FirstSeen), t(row.LastSeen)}
	for i := range rec {
		rec[i] = csvsafe.Cell(rec[i])
	}
	return rec
}
