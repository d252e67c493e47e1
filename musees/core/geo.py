"""Geography helpers: distances, coordinates checks and French département codes."""

import math

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def valid_coordinates(lat: float | None, lon: float | None) -> bool:
    """Whether a latitude/longitude pair is a real place on Earth (and not the 0,0 placeholder)."""
    if lat is None or lon is None:
        return False
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return False
    return not (lat == 0 and lon == 0)


def departement_from_postcode(postcode: str) -> str:
    """The département code of a postcode ("09000" -> "09", "20000" -> "2A", "97400" -> "974").

    Corsica shares the 20 prefix: 200xx and 201xx are Corse-du-Sud (2A), 202xx and 206xx
    Haute-Corse (2B), as La Poste assigns them.
    """
    code = "".join(ch for ch in (postcode or "") if ch.isdigit())[:5]
    if len(code) < 5:
        return ""
    if code.startswith("97") or code.startswith("98"):
        return code[:3]
    if code.startswith("20"):
        return "2A" if code[2] in "01" else "2B"
    return code[:2]
