// Command caseroom-bench measures caseroom-api at firm scale (make bench): it generates or
// reuses an organisation of each size on each database and prints p50, p99 and throughput at
// 1 and 8 concurrent callers for each representative caller, beside a bare Fiber handler.
//
//	caseroom-bench [-sizes 10k,100k,1m] [-dbs postgres,sqlite] [-duration 2s] [-pg URL] [-dir data/bench] [-only NAME]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/caseroom/caseroom/services/api/internal/bench"
)

func main() {
	sizes := flag.String("sizes", "10k,100k,1m", "data sets, by number of cases")
	dbs := flag.String("dbs", "postgres,sqlite", "databases")
	duration := flag.Duration("duration", 2e9, "how long each scenario runs at each concurrency")
	pg := flag.String("pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server for the bench databases")
	dir := flag.String("dir", "data/bench", "where SQLite data sets and logins are kept between runs")
	only := flag.String("only", "", "run only the scenarios whose names contain this")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := bench.Run(ctx, bench.Options{Sizes: strings.Split(*sizes, ","), DBs: strings.Split(*dbs, ","), PGURL: *pg,
		Dir: *dir, Duration: *duration, Only: *only, Out: os.Stdout, Progress: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "caseroom-bench:", err)
		os.Exit(1)
	}
}
