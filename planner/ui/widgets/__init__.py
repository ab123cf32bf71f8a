"""The planner's widgets."""
