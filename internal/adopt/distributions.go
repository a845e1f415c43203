package adopt

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

// Distribution is a CloudFront distribution in front of an adopted bucket,
// adopted as the distribution of the root's module serving that bucket: its
// ID, domain name and ARN stay, so the bucket policy the first apply writes
// names the distribution that serves viewers, before and after.
type Distribution struct {
	Storage, ID, DomainName, Address string
	// Aliases are its alternate domain names; RemovedAliases those the
	// root does not set, which the first apply takes off it.
	Aliases, RemovedAliases []string
	// ReadsThroughOAI: its origin on the bucket signs with an origin access
	// identity, which the root's bucket policy does not admit.
	ReadsThroughOAI bool
}

// addDistributions finds, among all of the account's distributions (the
// API is global, and Copilot's tags on them are listed only in us-east-1),
// the one with an origin on each adopted bucket. Two distributions serving
// one bucket are both left to the user: which to keep is theirs to say.
func (e *Estate) addDistributions(ctx context.Context, client *cloudfront.Client, root Root) error {
	var summaries []cftypes.DistributionSummary
	p := cloudfront.NewListDistributionsPaginator(client, &cloudfront.ListDistributionsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("listing CloudFront distributions: %w", err)
		}
		if page.DistributionList != nil {
			summaries = append(summaries, page.DistributionList.Items...)
		}
	}
	for i, s := range summaries {
		// AWS lists every distribution's origins (ListDistributions,
		// DistributionSummary); an endpoint that leaves them out (moto 5.2)
		// is asked for each distribution.
		if s.Origins != nil {
			continue
		}
		out, err := client.GetDistribution(ctx, &cloudfront.GetDistributionInput{Id: s.Id})
		if err != nil {
			return fmt.Errorf("reading CloudFront distribution %s: %w", aws.ToString(s.Id), err)
		}
		if config := out.Distribution.DistributionConfig; config != nil {
			summaries[i].Origins, summaries[i].Aliases = config.Origins, config.Aliases
		}
	}
	e.Distributions, e.Skipped = matchDistributions(e.Buckets, summaries, root, e.Distributions, e.Skipped)
	return nil
}

// matchDistributions adds to found the distribution serving each bucket,
// and to skipped those it cannot adopt.
func matchDistributions(buckets []Bucket, summaries []cftypes.DistributionSummary, root Root, found []Distribution, skipped []Skipped) ([]Distribution, []Skipped) {
	for _, b := range buckets {
		var serving []cftypes.DistributionSummary
		var origins []cftypes.Origin // serving[i]'s origin on the bucket
		for _, s := range summaries {
			if s.Origins == nil {
				continue
			}
			if j := slices.IndexFunc(s.Origins.Items, func(o cftypes.Origin) bool { return isBucketOrigin(aws.ToString(o.DomainName), b.Name) }); j >= 0 {
				serving, origins = append(serving, s), append(origins, s.Origins.Items[j])
			}
		}
		i := slices.IndexFunc(copilotBuckets, func(cb copilotBucket) bool { return cb.storage == b.Storage })
		switch {
		case len(serving) == 0 || i < 0:
			continue
		case len(serving) > 1:
			for _, s := range serving {
				skipped = append(skipped, Skipped{"CloudFront distribution", aws.ToString(s.Id), fmt.Sprintf(
					"one of %d distributions serving the adopted bucket %s: import the one to keep into %s by hand; the first apply's bucket policy admits that one only",
					len(serving), b.Name, copilotBuckets[i].distributionAddress)})
			}
			continue
		}
		var aliases []string
		if serving[0].Aliases != nil {
			aliases = serving[0].Aliases.Items
		}
		kept := copilotBuckets[i].aliases(root)
		d := Distribution{Storage: b.Storage, ID: aws.ToString(serving[0].Id), DomainName: aws.ToString(serving[0].DomainName),
			Address: copilotBuckets[i].distributionAddress, Aliases: aliases,
			ReadsThroughOAI: origins[0].S3OriginConfig != nil && aws.ToString(origins[0].S3OriginConfig.OriginAccessIdentity) != ""}
		for _, alias := range aliases {
			if !slices.Contains(kept, alias) {
				d.RemovedAliases = append(d.RemovedAliases, alias)
			}
		}
		found = append(found, d)
	}
	return found, skipped
}

// isBucketOrigin tells whether an origin's domain name is bucket's S3
// endpoint: `<bucket>.s3.amazonaws.com`, `<bucket>.s3.<region>.amazonaws.com`
// or the older `<bucket>.s3-<region>.amazonaws.com` (amazonaws.com.cn in
// China), not its website endpoint, which CloudFront reaches as a custom
// origin without origin access control.
func isBucketOrigin(domain, bucket string) bool {
	rest, ok := strings.CutPrefix(strings.ToLower(domain), bucket+".s3")
	if !ok || strings.HasPrefix(rest, "-website") {
		return false
	}
	return (strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, "-")) &&
		(strings.HasSuffix(rest, ".amazonaws.com") || strings.HasSuffix(rest, ".amazonaws.com.cn"))
}

// adoption is the distribution's row: the first plan updates it in place.
func (d Distribution) adoption() Adoption {
	plan := "import; update in place (origin access control, cache and response headers policies, WAF, logging, certificate, tags); " +
		"its ID and domain name stay, so the bucket policy admits the distribution that serves viewers throughout"
	if d.ReadsThroughOAI {
		plan += "; it reads the bucket through an origin access identity, which the new bucket policy does not admit: cache misses fail until CloudFront has deployed the update " +
			"(minutes; docs/migrating-from-copilot.md, step 3.1)"
	}
	if len(d.RemovedAliases) > 0 {
		plan += "; the alternate domain names " + strings.Join(d.RemovedAliases, ", ") + " are removed (the root sets none of them): they stop serving"
	}
	return Adoption{Kind: "CloudFront distribution", Name: d.ID + " (" + d.DomainName + ")", Address: d.Address, ImportID: d.ID, FirstPlan: plan}
}
