# Build: docker build -t plan-billing .   (docker compose up does it for you)
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests && cp target/plan-billing-*.jar /app.jar

FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 billing
USER billing
COPY --from=build /app.jar /app/plan-billing.jar
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/plan-billing.jar"]
