// Package plandrift decides whether the plan that follows an apply is empty
// but for differences a known emulator bug causes. Each allowance names the
// resource addresses, the attribute path and the bug; a difference no
// allowance covers is unexpected, and an allowance that covers nothing is
// stale (the emulator got better, or the code changed): both fail the test.
package plandrift

import (
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// Allowance is one difference an emulator bug leaves in a second plan.
type Allowance struct {
	// Address is a regular expression matched against the whole resource
	// address (module path included).
	Address string
	// Path is the attribute path that differs, with [N] for list and set
	// elements; [*] matches any element, and a final .* any attribute below.
	Path string
	// EmptyBefore: the emulator leaves the value out, so only a difference
	// from an empty or absent value to the configured one is excused; a
	// change between two real values is not.
	EmptyBefore bool
	// Bug says what the emulator answers wrong.
	Bug string
}

func (a Allowance) String() string { return fmt.Sprintf("%s %s (%s)", a.Address, a.Path, a.Bug) }

func (a Allowance) matches(address, path string) (bool, error) {
	addr, err := regexp.Compile("^(?:" + a.Address + ")$")
	if err != nil {
		return false, fmt.Errorf("allowance %s: address: %w", a, err)
	}
	pattern := strings.ReplaceAll(regexp.QuoteMeta(a.Path), `\[\*\]`, `\[\d+\]`)
	if below, ok := strings.CutSuffix(pattern, `\.\*`); ok {
		pattern = below + `\..+`
	}
	attr := regexp.MustCompile("^" + pattern + "$")
	return addr.MatchString(address) && attr.MatchString(path), nil
}

func (a Allowance) covers(d Difference) (bool, error) {
	ok, err := a.matches(d.Address, d.Path)
	if err != nil || !ok {
		return false, err
	}
	return !a.EmptyBefore || d.emptyBefore, nil
}

// Difference is one attribute of one resource that a plan changes.
type Difference struct {
	Address string
	Path    string
	Before  string // "(sensitive)" when either side is sensitive
	After   string // "(known after apply)" when unknown
	// emptyBefore: the value before was absent, null, "" or empty.
	emptyBefore bool
}

func (d Difference) String() string {
	return fmt.Sprintf("%s %s: %v -> %v", d.Address, d.Path, d.Before, d.After)
}

// Result is what Check found.
type Result struct {
	// Excused differences, each with the allowance that covers it.
	Excused map[Difference]Allowance
	// Unexpected lists every difference no allowance covers, and every
	// action other than an in-place update (create, replace, delete).
	Unexpected []string
	// Stale lists the allowances that covered nothing in this plan.
	Stale []Allowance
}

// Check compares a plan's changes with the allowances.
func Check(plan *tfjson.Plan, allowances []Allowance) (Result, error) {
	res := Result{Excused: map[Difference]Allowance{}}
	used := make([]bool, len(allowances))
	for _, rc := range plan.ResourceChanges {
		actions := rc.Change.Actions
		if actions.NoOp() || actions.Read() {
			continue
		}
		if !actions.Update() {
			res.Unexpected = append(res.Unexpected, fmt.Sprintf("%v %s", actions, rc.Address))
			continue
		}
		differences := Differences(rc)
		if len(differences) == 0 {
			// Terraform plans an update it shows no attribute for (null
			// against an empty list, say): nothing can excuse that.
			res.Unexpected = append(res.Unexpected, "update "+rc.Address+" (no attribute differs)")
		}
		for _, d := range differences {
			covered := false
			for i, a := range allowances {
				ok, err := a.covers(d)
				if err != nil {
					return res, err
				}
				if ok {
					res.Excused[d], used[i], covered = a, true, true
					break
				}
			}
			if !covered {
				res.Unexpected = append(res.Unexpected, "update "+d.String())
			}
		}
	}
	for i, a := range allowances {
		if !used[i] {
			res.Stale = append(res.Stale, a)
		}
	}
	slices.Sort(res.Unexpected)
	return res, nil
}

// Differences lists the attribute paths an update changes: values whose
// before and after differ, and values that become unknown.
//
// Values marked sensitive on either side are never shown.
func Differences(rc *tfjson.ResourceChange) []Difference {
	var out []Difference
	walk(rc.Change.Before, rc.Change.After, rc.Change.AfterUnknown, "", func(path string, before, after any) {
		d := Difference{Address: rc.Address, Path: path, Before: fmt.Sprint(before), After: fmt.Sprint(after), emptyBefore: empty(before) || before == ""}
		if sensitive(rc.Change.BeforeSensitive, path) || sensitive(rc.Change.AfterSensitive, path) {
			d.Before, d.After = "(sensitive)", "(sensitive)"
		}
		out = append(out, d)
	})
	return out
}

// sensitive tells whether a plan's sensitivity tree (before_sensitive or
// after_sensitive: true, or maps and lists of them) marks the path or one of
// its parents.
func sensitive(tree any, path string) bool {
	node := tree
	for _, step := range pathSteps(path) {
		if node == true {
			return true
		}
		switch n := node.(type) {
		case map[string]any:
			node = n[step]
		case []any:
			var i int
			if _, err := fmt.Sscanf(step, "[%d]", &i); err != nil || i >= len(n) {
				return false
			}
			node = n[i]
		default:
			return false
		}
	}
	return node == true
}

// pathSteps splits "a.b[0].c" into "a", "b", "[0]", "c".
func pathSteps(path string) []string {
	var steps []string
	for _, part := range strings.Split(path, ".") {
		if i := strings.Index(part, "["); i >= 0 {
			if part[:i] != "" {
				steps = append(steps, part[:i])
			}
			for _, idx := range strings.SplitAfter(part[i:], "]") {
				if idx != "" {
					steps = append(steps, idx)
				}
			}
			continue
		}
		steps = append(steps, part)
	}
	return steps
}

const unknownValue = "(known after apply)"

func walk(before, after, unknown any, path string, emit func(path string, before, after any)) {
	if unknown == true {
		emit(path, before, unknownValue)
		return
	}
	switch b := before.(type) {
	case map[string]any:
		a, ok := after.(map[string]any)
		if !ok {
			break
		}
		u, _ := unknown.(map[string]any)
		keys := map[string]bool{}
		for k := range b {
			keys[k] = true
		}
		for k := range a {
			keys[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			walk(b[k], a[k], u[k], join(path, k), emit)
		}
		return
	case []any:
		a, ok := after.([]any)
		if !ok || len(a) != len(b) {
			break
		}
		u, _ := unknown.([]any)
		for i := range b {
			var ui any
			if i < len(u) {
				ui = u[i]
			}
			walk(b[i], a[i], ui, fmt.Sprintf("%s[%d]", path, i), emit)
		}
		return
	}
	if !equalValues(before, after) {
		emit(path, before, after)
	}
}

// equalValues treats an absent value, null and an empty list or map alike,
// as Terraform's plan does for optional attributes.
func equalValues(before, after any) bool {
	if empty(before) && empty(after) {
		return true
	}
	return reflect.DeepEqual(before, after)
}

func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
