"""Grouping customers by their shopping behaviour, step by step.

    python examples/unsupervised_customers.py                  # a generated shop, 3,000 customers
    python examples/unsupervised_customers.py --data my.csv    # your own log or per-customer table
    python examples/unsupervised_customers.py --customers 800 --out results/customers

1. a year of orders from a simulated gift shop is written as a CSV in the
   online-retail layout (the customers' personas stay hidden);
2. the CSV is read back like any user's file: cleaned, with a data-quality summary;
3. per-customer features (recency, frequency, monetary value, basket behaviour);
4. ``CustomerSegmenter`` chooses the number of segments and finds them, with
   no labels at all: unsupervised;
5. the segments are described in words, compared with the hidden personas
   (adjusted Rand index), and used to place *new* customers;
6. the same run through the toolkit's paradigm, figures saved as PNG.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from sklearn.metrics import adjusted_rand_score

import paradigms
from paradigms.unsupervised import (
    CustomerSegmenter,
    UnsupervisedSettings,
    figures,
    generate_transactions,
    load_customers,
    segment_profiles,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="your transaction log or per-customer table (CSV/Parquet)")
    parser.add_argument("--customers", type=int, default=3000, help="customers in the generated shop")
    parser.add_argument("--out", type=Path, default=Path("results/unsupervised_example"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    truth = None
    path = args.data
    if path is None:
        print(f"1. simulating a year of orders from {args.customers:,} customers")
        log = generate_transactions(args.customers, seed=args.seed)
        path = log.write(args.out / "transactions.csv")
        print(f"   wrote {path} ({log.n_rows:,} rows)")
        truth = log.personas.set_index("customer_id")["persona"]

    print("2. reading it back like any user's file")
    data = load_customers(path)
    print("   " + data.quality.summary().replace("\n", "\n   "))

    print("3. per-customer features (first rows)")
    print(data.features.head().round(2).to_string())

    print("4. choosing k and segmenting (no labels used)")
    segmenter = CustomerSegmenter(random_state=args.seed).fit(data.features)
    if segmenter.k_selection_ is not None:
        print(segmenter.k_selection_.round(3).to_string(index=False))
    print(f"   {segmenter.k_choice_['reason']}")
    print(f"   log-transformed inside the model: {', '.join(segmenter.log_features_) or 'none'}")

    print("5. what the segments are")
    profiles, _ = segment_profiles(data.features, segmenter.transform(data.features), segmenter.labels_)
    print(profiles[["segment", "customers", "description"]].to_string(index=False))
    if truth is not None:
        known = truth.reindex(data.features.index)
        print(f"   adjusted Rand index against the hidden personas: {adjusted_rand_score(known, segmenter.labels_):.3f}")
        print(pd.crosstab(known, segmenter.labels_, colnames=["segment"]).to_string())
        newcomers = load_customers(generate_transactions(200, seed=args.seed + 1).write(args.out / "new_shop.csv"))
        placed = segmenter.predict(newcomers.features)
        print(f"   200 customers of another year placed in segments: {pd.Series(placed).value_counts().sort_index().to_dict()}")

    print("6. the same through the paradigm (T, P, E), with figures")
    settings = UnsupervisedSettings(data=args.data, customers=args.customers, output_dir=args.out)
    evaluation = paradigms.run("unsupervised", settings, seed=args.seed)
    evaluation.save(args.out / "unsupervised.json")
    for name, figure in figures(evaluation).items():
        figure.savefig(args.out / f"{name}.png", dpi=110)
    print(f"   silhouette {evaluation.measure.value:.3f} (random labels: "
          f"{evaluation.metrics['silhouette_random_labels']:.3f}); files in {args.out}/")


if __name__ == "__main__":
    main()
