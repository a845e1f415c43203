package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/smithy-go"
)

func TestRegionsCoverCloudFrontsRegion(t *testing.T) {
	for main, want := range map[string][]string{
		"ap-northeast-1": {"ap-northeast-1", "us-east-1"},
		"us-east-1":      {"us-east-1"},
	} {
		if got := Regions(main); !slices.Equal(got, want) {
			t.Errorf("Regions(%s) = %v, want %v", main, got, want)
		}
	}
}

func TestResourceConfigTakesTheARNsRegion(t *testing.T) {
	cfg := aws.Config{Region: "ap-northeast-1"}
	for arn, want := range map[string]string{
		"arn:aws:acm:us-east-1:123456789012:certificate/abc":      "us-east-1",
		"arn:aws:sqs:ap-northeast-1:123456789012:q":               "ap-northeast-1",
		"arn:aws:iam::123456789012:role/r":                        "ap-northeast-1", // global: the caller's
		"arn:aws:cloudfront::123456789012:distribution/E1":        "ap-northeast-1",
		"arn:aws:wafv2:us-east-1:123456789012:global/webacl/a/id": "us-east-1",
	} {
		if got := (Resource{ARN: arn}).config(cfg).Region; got != want {
			t.Errorf("%s: region %s, want %s", arn, got, want)
		}
	}
}

func TestDependencyViolationsAreWaitedFor(t *testing.T) {
	dependency := fmt.Errorf("vpc-1: %w", &smithy.GenericAPIError{Code: "DependencyViolation", Message: "has dependencies"})
	other := fmt.Errorf("vpc-2: %w", &smithy.GenericAPIError{Code: "UnauthorizedOperation"})
	if !anyDependencyViolation([]error{other, dependency}) {
		t.Error("a DependencyViolation beside another error is not waited for")
	}
	if anyDependencyViolation([]error{other}) || anyDependencyViolation([]error{errors.New("plain")}) || anyDependencyViolation(nil) {
		t.Error("permanent errors alone are waited for")
	}
}

// TestListingStartsOverOnARefusedToken: a page whose call is sent again (its
// answer lost) finds its token spent, as moto spends one on first use; the
// listing starts over from the first page and reports every resource once.
func TestListingStartsOverOnARefusedToken(t *testing.T) {
	firstPages, spent := 0, map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ PaginationToken string }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		mapping := func(arn string) string {
			return fmt.Sprintf(`{"ResourceARN":%q,"Tags":[{"Key":%q,"Value":"run/case"}]}`, arn, TagKey)
		}
		switch {
		case in.PaginationToken == "":
			firstPages++
			token := fmt.Sprintf("page-2-of-listing-%d", firstPages)
			_, _ = fmt.Fprintf(w, `{"PaginationToken":%q,"ResourceTagMappingList":[%s]}`, token, mapping("arn:aws:sqs:ap-northeast-1:123456789012:first"))
		case spent[in.PaginationToken] || in.PaginationToken == "page-2-of-listing-1": // the first listing's second page was answered, the answer lost
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprint(w, `{"__type":"PaginationTokenExpiredException","Message":"Token does not exist"}`)
		default:
			spent[in.PaginationToken] = true
			_, _ = fmt.Fprintf(w, `{"PaginationToken":"","ResourceTagMappingList":[%s]}`, mapping("arn:aws:sqs:ap-northeast-1:123456789012:second"))
		}
	}))
	defer srv.Close()
	client := tagging.NewFromConfig(aws.Config{Region: "ap-northeast-1", Credentials: aws.AnonymousCredentials{}, BaseEndpoint: aws.String(srv.URL)})
	var arns []string
	if err := listTagged(t.Context(), client, func(arn, _ string) { arns = append(arns, arn) }); err != nil {
		t.Fatal(err)
	}
	want := []string{"arn:aws:sqs:ap-northeast-1:123456789012:first", "arn:aws:sqs:ap-northeast-1:123456789012:second"}
	if !slices.Equal(arns, want) || firstPages != 2 {
		t.Errorf("listed %v from %d first pages, want %v once each from 2 (one listing started over)", arns, firstPages, want)
	}
}
