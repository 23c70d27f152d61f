// Package browsertest drives Debian's Chromium for the end-to-end tests of both services:
// one headless tab, the page's uncaught errors and CSP violations, axe-core audits, phone
// and desktop widths, and screenshots kept as test output.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// FindChromium returns Debian's Chromium. Without it the test is skipped, or fails in CI.
func FindChromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is required in CI (bash deploy/install-test-deps.sh installs it)")
	}
	t.Skip("Chromium not installed; run bash deploy/install-test-deps.sh")
	return ""
}

// AxeSource reads axe-core from the app's devDependencies (make stub runs npm ci in
// frontend-stub). Without it the test is skipped, or fails in CI.
func AxeSource(t *testing.T) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(here), "..", "..", "frontend-stub", "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(path)
	if err == nil {
		return string(b)
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("axe-core is required in CI: %v (make stub runs npm ci in frontend-stub)", err)
	}
	t.Skipf("axe-core not installed (%v); run make stub, or npm ci in frontend-stub", err)
	return ""
}

// Browser is headless Chromium with one tab, and what went wrong in the page: uncaught
// exceptions (Content-Security-Policy violations are read from the page).
type Browser struct {
	Ctx    context.Context
	axe    string
	mu     sync.Mutex
	faults []string
}

// cspProbe records CSP violations; it runs before any script of the page.
const cspProbe = `window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));`

// New starts headless Chromium with a fresh profile for the test.
func New(t *testing.T, chromium, axe string) *Browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &Browser{Ctx: ctx, axe: axe}
	start := time.Now()
	err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe})
		return err
	}))
	if err == nil {
		err = chromedp.Listen(ctx, func(ev any) {
			if e, ok := ev.(*cdpruntime.EventExceptionThrown); ok && e.ExceptionDetails != nil {
				d := e.ExceptionDetails
				text := d.Text
				if d.Exception != nil && d.Exception.Description != "" {
					text += " " + d.Exception.Description
				}
				b.mu.Lock()
				b.faults = append(b.faults, fmt.Sprintf("%s (%s:%d)", text, d.URL, d.LineNumber+1))
				b.mu.Unlock()
			}
		})
	}
	if err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	t.Logf("Chromium started in %s", time.Since(start).Round(time.Millisecond))
	return b
}

// Step runs actions with a time limit; on failure it shows where the browser was.
func (b *Browser) Step(t *testing.T, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	err := chromedp.Do(ctx, actions...)
	cancel()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, b.Where())
	}
	t.Logf("browser: %s (%s)", name, time.Since(start).Round(time.Millisecond))
}

// Get runs one action that returns a value, with a time limit.
func Get[T any](t *testing.T, b *Browser, name string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, b.Where())
	}
	return v
}

// Where is the browser's location and the end of its page, for failure messages.
func (b *Browser) Where() string {
	ctx, cancel := context.WithTimeout(b.Ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
	if len(html) > 4000 {
		html = html[:4000] + "…"
	}
	return "at " + loc + ":\n" + html
}

// Check evaluates a JavaScript condition on the page and fails with what unless it is true.
func (b *Browser) Check(t *testing.T, what, js string) {
	t.Helper()
	if !Get(t, b, what, chromedp.Evaluate[bool](js)) {
		t.Fatalf("%s: false\n%s", what, b.Where())
	}
}

// Text returns the text of the first element matching a CSS selector.
func (b *Browser) Text(t *testing.T, sel string) string {
	t.Helper()
	return Get(t, b, "read "+sel, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).textContent.trim()`, sel)))
}

// Screen checks a screen the app just navigated to: its heading has the focus (so a screen
// reader starts there), and Audit finds nothing.
func (b *Browser) Screen(t *testing.T, name string) {
	t.Helper()
	b.Check(t, name+": the heading has the focus", `document.activeElement !== null && document.activeElement.tagName === "H1"`)
	b.Audit(t, name)
}

// violation is one failed axe-core rule.
type violation struct {
	ID, Impact, Help string
	Nodes            []string
}

func (v violation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
}

// axeRun runs axe-core on the page: WCAG 2.1 A and AA, and best practices.
func (b *Browser) axeRun(t *testing.T, name string) []violation {
	t.Helper()
	if !Get(t, b, name+": axe-core loaded", chromedp.Evaluate[bool](`typeof window.axe === "object"`)) {
		b.Step(t, name+": inject axe-core", chromedp.Evaluate[chromedp.Void](b.axe))
	}
	const run = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
  .then((r) => JSON.stringify(r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5)}))))`
	out := Get(t, b, name+": axe-core", chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	var vs []violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("%s: axe-core answered %q: %v", name, out, err)
	}
	return vs
}

// SelfTest proves that the audit can fail: axe-core flags an unlabelled field as critical.
func (b *Browser) SelfTest(t *testing.T) {
	t.Helper()
	b.Step(t, "a page axe-core must refuse", chromedp.Evaluate[chromedp.Void](
		`document.documentElement.lang = "en"; document.title = "x"; document.body.innerHTML = '<main><h1>x</h1><input type="text"></main>'`))
	for _, v := range b.axeRun(t, "axe-core self-test") {
		if v.ID == "label" && v.Impact == "critical" {
			return
		}
	}
	t.Fatal("axe-core did not flag an unlabelled input as critical; the audits would prove nothing")
}

// Audit fails on page errors and CSP violations so far, and on serious or critical axe-core
// violations.
func (b *Browser) Audit(t *testing.T, name string) {
	t.Helper()
	csp := Get(t, b, name+": CSP violations", chromedp.Evaluate[[]string](`window.__cspViolations || []`))
	b.mu.Lock()
	faults := append([]string(nil), b.faults...)
	b.mu.Unlock()
	if len(csp) > 0 || len(faults) > 0 {
		t.Fatalf("%s: CSP violations %v, page errors %v", name, csp, faults)
	}
	var bad, minor []string
	for _, v := range b.axeRun(t, name) {
		if v.Impact == "serious" || v.Impact == "critical" {
			bad = append(bad, v.String())
		} else {
			minor = append(minor, v.String())
		}
	}
	if len(minor) > 0 {
		t.Logf("%s: axe-core, minor: %s", name, strings.Join(minor, "; "))
	}
	if len(bad) > 0 {
		t.Errorf("%s: axe-core found serious or critical violations:\n  %s", name, strings.Join(bad, "\n  "))
	} else {
		t.Logf("%s: axe-core, no serious or critical violation (%d minor)", name, len(minor))
	}
}

// Resize sets the viewport, as a phone (390 px) or a desktop (1280 px) shows the page.
func (b *Browser) Resize(t *testing.T, width, height int64) {
	t.Helper()
	b.Step(t, fmt.Sprintf("viewport %dx%d", width, height), chromedp.EmulateViewport(width, height))
}

// FitsViewport fails unless the page is as wide as the viewport or narrower: nothing needs
// horizontal scrolling.
func (b *Browser) FitsViewport(t *testing.T, name string) {
	t.Helper()
	const js = `JSON.stringify([document.documentElement.scrollWidth, window.innerWidth])`
	var w [2]int
	if err := json.Unmarshal([]byte(Get(t, b, name+": page width", chromedp.Evaluate[string](js))), &w); err != nil {
		t.Fatalf("%s: page width: %v", name, err)
	}
	if w[0] > w[1] {
		t.Errorf("%s: the page is %d px wide in a %d px viewport", name, w[0], w[1])
	}
}

// Screenshot writes a full-page PNG of the page to dir/name.png.
func (b *Browser) Screenshot(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png := Get(t, b, name+": screenshot", chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
