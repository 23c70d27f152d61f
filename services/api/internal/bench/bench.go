package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/caseroom/caseroom/pkg/platform"
)

// Options choose what a bench run measures.
type Options struct {
	Sizes    []string // names of Sizes
	DBs      []string // "postgres", "sqlite"
	PGURL    string   // a PostgreSQL server to make the bench databases on
	Dir      string   // where SQLite files and logins are kept between runs
	Duration time.Duration
	// Only keeps the scenarios whose names contain it ("" keeps all).
	Only     string
	Out      io.Writer // the figures
	Progress io.Writer // progress lines
}

// result is one measured cell.
type result struct {
	db, size, caller, scenario string
	workers                    int
	p50, p99                   time.Duration
	rps, success               float64
	codes                      map[string]int
}

// Run measures every data set of opts and prints the figures.
func Run(ctx context.Context, opts Options) error {
	work, err := os.MkdirTemp("", "caseroom-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	fmt.Fprintln(opts.Progress, "building caseroom-api")
	bin, err := build(ctx, work)
	if err != nil {
		return err
	}
	// A data set whose answers were wrong is reported at the end; the others still run.
	var failed []error
	for _, kind := range opts.DBs {
		for _, name := range opts.Sizes {
			size, ok := Sizes[name]
			if !ok {
				return fmt.Errorf("bench: unknown size %q (10k, 100k, 1m)", name)
			}
			ds, err := ensure(ctx, kind, size, opts.PGURL, opts.Dir, opts.Progress)
			if err != nil {
				return err
			}
			if err := runDataset(ctx, bin, ds, opts); err != nil {
				fmt.Fprintln(opts.Out, err)
				failed = append(failed, err)
			}
		}
	}
	return errors.Join(failed...)
}

// runDataset measures one data set: every scenario of every representative caller at 1 and
// 8 workers, then the bare handler, then the API's peak memory.
func runDataset(ctx context.Context, bin string, ds *Dataset, opts Options) error {
	database, err := platform.OpenMaintenance(ctx, ds.URL)
	if err != nil {
		return err
	}
	month, err := sampleMonth(ctx, database)
	if err != nil {
		database.Close()
		return err
	}
	var maxCase int64
	if err := database.NewRaw("SELECT COALESCE(MAX(id), 0) FROM cases").Scan(ctx, &maxCase); err != nil {
		database.Close()
		return err
	}
	database.Close()
	api, err := startAPI(ctx, bin, ds.URL)
	if err != nil {
		return err
	}
	defer api.stop()
	c := ds.Logins.Callers
	roles := []struct{ role, email string }{{"head", c.Head}, {"supervisor500", c.Supervisor500}, {"ownUnitManager", c.OwnUnitManager},
		{"member", c.Member}, {"accountsNone", c.AccountsNone}, {"noFinancials", c.NoFinancials}}
	var results []result
	var reportGrowth int64
	for _, r := range roles {
		token, err := api.login(r.email, ds.Logins.Password)
		if err != nil {
			return err
		}
		first, err := firstCaseOf(api, token)
		if err != nil {
			return err
		}
		st := callerState{role: r.role, email: r.email, token: token, firstCase: first}
		for _, sc := range scenarios(st, ds.Logins.Password, month, maxCase) {
			if !strings.Contains(sc.name, opts.Only) {
				continue
			}
			for _, workers := range []int{1, 8} {
				fmt.Fprintf(opts.Progress, "%s %s %s: %s × %d\n", ds.Kind, ds.Size.Name, r.role, sc.name, workers)
				before := api.peakRSS()
				m := attack(api.base, sc, token, workers, opts.Duration)
				if sc.name == "cases report" {
					reportGrowth = max(reportGrowth, api.peakRSS()-before)
				}
				results = append(results, cell(ds, r.role, sc.name, workers, m))
			}
		}
	}
	bareURL, stopBare, err := startBare(ctx, ds.URL)
	if err != nil {
		return err
	}
	for _, workers := range []int{1, 8} {
		m := attack(bareURL, scenario{name: "bare handler", method: "GET", path: "/cases"}, "", workers, opts.Duration)
		results = append(results, cell(ds, "-", "bare: cases page 1", workers, m))
	}
	stopBare()
	report(opts.Out, ds, results, reportGrowth, api.peakRSS())
	return failures(results)
}

// failures names the cells that got answers a correct API never gives them: transport errors,
// server errors (but 503 to logins beyond the hashing limit), 400 and 404. A 403 is a caller
// without the right, which the figures show.
func failures(results []result) error {
	var bad []string
	for _, r := range results {
		for code, n := range r.codes {
			c, _ := strconv.Atoi(code)
			if c == 0 || c == 400 || c == 404 || (c >= 500 && !(c == 503 && r.scenario == "login")) {
				bad = append(bad, fmt.Sprintf("%s %s %s × %d: %d × %s", r.db, r.caller, r.scenario, r.workers, n, code))
			}
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("bench: unexpected answers:\n  %s", strings.Join(bad, "\n  "))
	}
	return nil
}

// attack runs sc for d with workers callers, each sending its next request as soon as the
// previous one is answered (a closed loop, so the figures are what the server sustains).
func attack(base string, sc scenario, token string, workers int, d time.Duration) *vegeta.Metrics {
	target := vegeta.Target{Method: sc.method, URL: base + sc.path, Body: sc.body, Header: sc.header(token)}
	attacker := vegeta.NewAttacker(vegeta.Workers(uint64(workers)), vegeta.MaxWorkers(uint64(workers)),
		vegeta.KeepAlive(true), vegeta.Timeout(30*time.Second), vegeta.Connections(workers))
	var m vegeta.Metrics
	for res := range attacker.Attack(vegeta.NewStaticTargeter(target), vegeta.Rate{Freq: 0}, d, sc.name) {
		m.Add(res)
	}
	m.Close()
	return &m
}

func cell(ds *Dataset, caller, name string, workers int, m *vegeta.Metrics) result {
	return result{db: ds.Kind, size: ds.Size.Name, caller: caller, scenario: name, workers: workers,
		p50: m.Latencies.P50, p99: m.Latencies.P99, rps: m.Throughput, success: m.Success, codes: m.StatusCodes}
}

// report prints one data set's figures, with the API's list throughput as a share of the bare
// handler's at 8 workers.
func report(w io.Writer, ds *Dataset, results []result, reportGrowth, peak int64) {
	fmt.Fprintf(w, "\n## %s, %s cases (%d hours)\n\n", ds.Kind, ds.Size.Name, ds.Size.Sizes.Hours)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "caller\tscenario\tworkers\tp50 ms\tp99 ms\treq/s\tok %\tstatuses\t")
	var bare8 float64
	for _, r := range results {
		if r.scenario == "bare: cases page 1" && r.workers == 8 {
			bare8 = r.rps
		}
	}
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%.1f\t%.0f\t%.0f\t%v\t\n", r.caller, r.scenario, r.workers,
			ms(r.p50), ms(r.p99), r.rps, 100*r.success, r.codes)
	}
	tw.Flush()
	fmt.Fprintln(w)
	for _, r := range results {
		if r.scenario == "cases page 1" && r.workers == 8 && bare8 > 0 {
			fmt.Fprintf(w, "list throughput at 8 workers, %s: %.0f%% of the bare handler\n", r.caller, 100*r.rps/bare8)
		}
	}
	fmt.Fprintf(w, "peak memory growth during the cases report: %d MiB\n", reportGrowth>>20)
	fmt.Fprintf(w, "API peak resident memory over the whole run: %d MiB\n", peak>>20)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
