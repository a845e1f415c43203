package testfixture

import (
	"encoding/json"
	"fmt"
	"sort"
)

// AWSPrincipals returns, sorted, the AWS principals of the statement sid of
// a resource policy (IAM writes one principal as a string, several as a
// list); found is false when the policy has no such statement.
func AWSPrincipals(policy, sid string) (principals []string, found bool, err error) {
	var doc struct {
		Statement []struct {
			Sid       string
			Principal struct{ AWS any }
		}
	}
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return nil, false, fmt.Errorf("reading policy %s: %w", policy, err)
	}
	for _, st := range doc.Statement {
		if st.Sid != sid {
			continue
		}
		switch p := st.Principal.AWS.(type) {
		case string:
			principals = []string{p}
		case []any:
			for _, v := range p {
				principals = append(principals, fmt.Sprint(v))
			}
		}
		sort.Strings(principals)
		return principals, true, nil
	}
	return nil, false, nil
}
