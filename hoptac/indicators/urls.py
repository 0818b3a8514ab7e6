from django.urls import path

from hoptac.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("chi-so/", views.indicator_list, name="indicator_list"),
    path("chi-so/<slug:code>/", views.drilldown, name="drilldown"),
    path("bao-cao/", views.written_report, name="report"),
    path("ban-do/diem/", views.map_points, name="map_points"),
]
