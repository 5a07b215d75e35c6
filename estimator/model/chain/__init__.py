"""A chain of outlets: one table read into one scenario per outlet, run on the chain's common draws."""
