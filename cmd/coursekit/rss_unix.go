//go:build unix

package main

import (
	"fmt"
	"runtime"
	"syscall"
)

// peakRSS is the process's peak resident set size, for --stats.
func peakRSS() string {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return "unknown"
	}
	kb := ru.Maxrss
	if runtime.GOOS == "darwin" { // bytes there, kilobytes elsewhere
		kb /= 1024
	}
	return fmt.Sprintf("%.1f MB", float64(kb)/1024)
}
