"""What a scenario is: the parameter catalogue, a validated ``Params``, the fixes managers plan, and the text the model writes."""
