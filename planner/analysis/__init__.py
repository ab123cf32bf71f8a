"""Plain functions over a plan or scenario that return frozen dataclasses; no Textual."""

from planner.analysis.load import Band, Factor, Load
from planner.analysis.report import Analysis, PersonResult, analyse

__all__ = ["Analysis", "Band", "Factor", "Load", "PersonResult", "analyse"]
