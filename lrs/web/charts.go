package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/coursekit/coursekit/lrs/progress"
)

// chart is a bar chart drawn as inline SVG: its geometry is computed here
// so that the template only places numbers. Title and Desc are its text
// alternative; the page also shows its figures as a table.
type chart struct {
	ID          string
	Width       int
	Height      int
	Title, Desc string
	Bars        []bar
	// Axis is the baseline's y, for a vertical chart.
	Axis float64
}

type bar struct {
	X, Y, W, H     float64
	Label          string
	LabelX, LabelY float64
	Value          string
	ValueX, ValueY float64
}

// The funnel's geometry: one row per lesson, the lesson's number left of
// its bar and the count right of it.
const (
	funnelWidth = 640
	funnelRowH  = 26
	funnelLeft  = 40
	funnelBarW  = 520
)

// funnelChart draws how many learners viewed each lesson, as a share of
// those who started the course, so that where they stop shows.
func funnelChart(det progress.CourseDetail) chart {
	c := chart{ID: "funnel", Width: funnelWidth, Height: max(1, len(det.Funnel))*funnelRowH + 8,
		Title: "Completion funnel: learners who viewed each lesson"}
	most := det.Summary.Started
	for _, l := range det.Funnel {
		most = max(most, l.Learners)
	}
	var desc []string
	for i, l := range det.Funnel {
		w := 0.0
		if most > 0 {
			w = float64(l.Learners) / float64(most) * funnelBarW
		}
		y := float64(i*funnelRowH + 4)
		c.Bars = append(c.Bars, bar{
			X: funnelLeft, Y: y, W: w, H: funnelRowH - 6,
			Label: strconv.Itoa(i + 1), LabelX: funnelLeft - 8, LabelY: y + 15,
			Value: strconv.Itoa(l.Learners), ValueX: funnelLeft + w + 6, ValueY: y + 15,
		})
		desc = append(desc, fmt.Sprintf("lesson %d, %s: %d", i+1, l.Title, l.Learners))
	}
	c.Desc = fmt.Sprintf("%d learners started. ", det.Summary.Started) + strings.Join(desc, "; ") + "."
	if len(det.Funnel) == 0 {
		c.Desc = "The course has no lessons."
	}
	return c
}

// The histogram's geometry: ten columns over a baseline, the count above
// each and its score range below.
const (
	histWidth  = 640
	histHeight = 230
	histTop    = 24
	histBase   = 196
	histCol    = 62
	histLeft   = 11
)

// scoreChart draws learners' best scores in ten buckets.
func scoreChart(scores [10]int) chart {
	c := chart{ID: "scores", Width: histWidth, Height: histHeight, Axis: histBase,
		Title: "Score distribution: learners by best score"}
	most := 0
	for _, n := range scores {
		most = max(most, n)
	}
	var desc []string
	for i, n := range scores {
		h := 0.0
		if most > 0 {
			h = float64(n) / float64(most) * (histBase - histTop)
		}
		x := float64(histLeft + i*histCol)
		label := fmt.Sprintf("%d–%d%%", i*10, (i+1)*10)
		c.Bars = append(c.Bars, bar{
			X: x + 4, Y: histBase - h, W: histCol - 8, H: h,
			Label: label, LabelX: x + histCol/2, LabelY: histBase + 20,
			Value: strconv.Itoa(n), ValueX: x + histCol/2, ValueY: histBase - h - 6,
		})
		desc = append(desc, fmt.Sprintf("%s: %d", label, n))
	}
	c.Desc = strings.Join(desc, "; ") + "."
	return c
}
