package provider

import (
	"bytes"
	"encoding/json"
	"sort"
)

// filterPoliciesEquivalent compares two SNS filter policies. Key order does
// not matter, nor the order of the values a property matches (they are
// alternatives), but the operands of a "numeric" condition are a sequence of
// operator and value pairs: [">", 0, "<=", 100] is not ["<=", 0, ">", 100].
func filterPoliciesEquivalent(a, b string) bool {
	if a == b {
		return true
	}
	na, errA := normalizedFilterPolicy(a)
	nb, errB := normalizedFilterPolicy(b)
	return errA == nil && errB == nil && na == nb
}

func normalizedFilterPolicy(doc string) (string, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	out, err := json.Marshal(normalizeFilterValue("", v))
	return string(out), err
}

// orderedFilterOperators hold sequences whose order is their meaning.
var orderedFilterOperators = map[string]bool{"numeric": true}

func normalizeFilterValue(key string, v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, child := range t {
			out[k] = normalizeFilterValue(k, child)
		}
		return out
	case []any:
		items := make([]any, len(t))
		for i, item := range t {
			items[i] = normalizeFilterValue("", item)
		}
		if orderedFilterOperators[key] {
			return items
		}
		canon := make([]string, len(items))
		for i, item := range items {
			b, _ := json.Marshal(item)
			canon[i] = string(b)
		}
		idx := make([]int, len(items))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(i, j int) bool { return canon[idx[i]] < canon[idx[j]] })
		out := make([]any, len(items))
		for i, k := range idx {
			out[i] = items[k]
		}
		return out
	case json.Number:
		// 100 and 100.0 are the same number to SNS.
		if f, err := t.Float64(); err == nil {
			return f
		}
		return t
	default:
		return t
	}
}
