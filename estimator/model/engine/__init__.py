"""The engine: lanes of runs, the draws, the monthly equations, the two arms, the Monte Carlo and its summaries."""
