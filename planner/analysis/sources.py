"""Where each figure of the analysis comes from, worded for reports and help."""

from planner.model.catalog import TEAM_DUTY
from planner.model.settings import SPECS

CATALOG_HOURS = "catalog hours per responsibility: assumptions, no study measures them (edit them in the catalog)"
MANAGEMENT = TEAM_DUTY
SWITCHING = SPECS["switching_rate"].source
STRETCHED = "over contract: more than the person's own weekly hours"
OVERLOADED = SPECS["overloaded_hours"].source
CRITICAL = SPECS["critical_hours"].source
COORDINATION = SPECS["coordination_hours"].source
SPAN = ("McKinsey manager archetypes: player/coach 3-5 direct reports, coach 6-7, supervisor 8-10, "
        "facilitator 11-15, coordinator 15+")
GRAICUNAS = "Graicunas: a manager of n reports handles n(2^(n-1) + n - 1) relationships"
ARTICLE_TEAMS = ("the article observes that sales managers usually manage smaller teams than marketing "
                 "managers: context, not a rule")
CANDIDATES = ("the article (\"What is the difference between a sales manager and a marketing manager?\") advises an "
              "employer who merges the roles to make sure the tasks and responsibilities are not too much for one "
              "person, and, when interviewing candidates, to make it \"exceptionally clear what the role entails\"")
MERGED = ("the article: in small businesses one manager often runs sales and marketing, and the employer "
          "should make sure the merged tasks are not too much for one person")
